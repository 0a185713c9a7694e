package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.gateway.config.RetryPolicy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retries transient dead letters by putting them back on their source topic after a backoff, and
 * parks those whose budget is spent (a marked copy in the DLQ, listed as {@code parked}). It reads
 * the DLQ in its own consumer group and commits a partition only up to its oldest record still
 * waiting, so a restart neither loses nor repeats a decision it has acted on... except the one in
 * flight, which at worst is put back twice: the sinks' ReplacingMergeTree keeps one row.
 */
public final class DeadLetterRetrier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetrier.class);
    public static final String GROUP = "event-pipeline-dlq-retrier";
    /** Above this many waiting records the DLQ is not read further until some are retried. */
    static final int MAX_WAITING = 10_000;

    private record Waiting(Instant due, ConsumerRecord<byte[], byte[]> record, String topic, int attempt) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final RetryPolicy policy;
    private final Clock clock;
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(Comparator.comparing(Waiting::due));
    private final Map<TopicPartition, TreeSet<Long>> waitingOffsets = new HashMap<>();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    public DeadLetterRetrier(String bootstrapServers, String topic, RetryPolicy policy, Clock clock) {
        this.topic = topic;
        this.policy = policy;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "gateway-dlq-retrier");
        this.thread.setDaemon(true);
    }

    public DeadLetterRetrier start() {
        started = true;
        thread.start();
        log.info("Dead-letter retrier: transient records of {} retried up to {} time(s), backoff {} x{} (max {})",
                topic, policy.maxAttempts(), policy.initialBackoff(), policy.multiplier(), policy.maxBackoff());
        return this;
    }

    /** Records put back on their source topic since start. */
    public long retried() {
        return retried.get();
    }

    /** Records parked since start. */
    public long parked() {
        return parked.get();
    }

    private void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Another instance takes them over from the committed offset, which is before anything waiting here.
                waiting.removeIf(w -> partitions.contains(new TopicPartition(w.record().topic(), w.record().partition())));
                partitions.forEach(waitingOffsets::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        while (running) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    accept(r);
                }
                retryDue();
                commit();
                if (waiting.size() > MAX_WAITING) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                log.warn("dead-letter retrier: {} (reading again from the last commit)", e.toString());
                sleep();
                rewind();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    /** After a failure: forget what waits in memory and read again from the committed offsets (at least once). */
    private void rewind() {
        try {
            waiting.clear();
            waitingOffsets.clear();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
            for (TopicPartition tp : consumer.assignment()) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, c.offset());
                }
            }
        } catch (RuntimeException e) {
            log.debug("rewind failed, trying again after the next failure: {}", e.toString());
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        DeadLetter letter = DeadLetterReader.toDeadLetter(r);
        RetryDecision decision = RetryDecision.decide(letter, Requeue.sourceTopic(r), policy);
        switch (decision.kind()) {
            case IGNORE -> {
            }
            case PARK -> {
                send(Requeue.parked(r, decision.why()));
                parked.incrementAndGet();
                log.warn("dead letter {}/{} (event {}) {}; last failure: {}", r.partition(), r.offset(), letter.eventId(),
                        decision.why(), letter.reason());
            }
            case RETRY -> {
                waiting.add(new Waiting(decision.dueAt(), r, Requeue.sourceTopic(r).orElseThrow(), letter.retryAttempt() + 1));
                waitingOffsets.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new TreeSet<>()).add(r.offset());
            }
        }
    }

    private void retryDue() {
        Instant now = clock.instant();
        while (!waiting.isEmpty() && !waiting.peek().due().isAfter(now)) {
            Waiting w = waiting.peek();
            send(Requeue.toSource(w.record(), w.topic(), w.attempt())); // throws: stays waiting, retried next loop
            waiting.poll();
            TreeSet<Long> offsets = waitingOffsets.get(new TopicPartition(w.record().topic(), w.record().partition()));
            if (offsets != null) {
                offsets.remove(w.record().offset());
            }
            retried.incrementAndGet();
            log.info("dead letter {}/{} put back on {} (attempt {} of {})", w.record().partition(), w.record().offset(),
                    w.topic(), w.attempt(), policy.maxAttempts());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long next = consumer.position(tp);
            TreeSet<Long> held = waitingOffsets.get(tp);
            if (held != null && !held.isEmpty()) {
                next = Math.min(next, held.first());
            }
            offsets.put(tp, new OffsetAndMetadata(next));
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void send(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (started) {
            consumer.wakeup();
            try {
                thread.join(5000); // the thread closes the consumer (not thread-safe)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(2));
        }
        producer.close(Duration.ofSeconds(2));
    }
}
