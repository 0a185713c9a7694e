package dev.eventpipeline.gateway.deadletter;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the DLQ by classification and {@link ReasonCode}, and how many arrived per minute, by
 * tailing the topic from its beginning (no consumer group, nothing committed: the counts are rebuilt
 * at every start). What {@code /v1/pipeline/status}, the metrics and the DLQ-rate alert read.
 */
public final class DeadLetterStats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterStats.class);
    /** Per-second arrival buckets kept for rates over at most this many seconds. */
    static final int WINDOW_SECONDS = 3600;

    /** @param byReason classification → reason code → records */
    public record Counts(long total, Map<String, Long> byClassification, Map<String, Map<String, Long>> byReason,
                         double lastMinute, double last5MinutesPerMinute) {
    }

    private final Map<String, Map<String, AtomicLong>> counts = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final long[] perSecond = new long[WINDOW_SECONDS];
    private final long[] bucketSecond = new long[WINDOW_SECONDS];
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;

    public DeadLetterStats(String bootstrapServers, String topic, Clock clock) {
        this.clock = clock;
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gateway-dlq-stats");
        this.thread.setDaemon(true);
    }

    /** Stats without a consumer (tests): feed them with {@link #count}. */
    DeadLetterStats(Clock clock) {
        this.clock = clock;
        this.topic = null;
        this.consumer = null;
        this.thread = null;
    }

    public DeadLetterStats start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            while (running && partitions.isEmpty()) {
                try {
                    consumer.partitionsFor(topic, Duration.ofSeconds(5)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    log.debug("DLQ partitions not known yet: {}", e.toString());
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    count(DeadLetterReader.toDeadLetter(r));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("dead-letter counting stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    synchronized void count(DeadLetter letter) {
        counts.computeIfAbsent(letter.classification(), c -> new ConcurrentHashMap<>())
                .computeIfAbsent(ReasonCode.of(letter), r -> new AtomicLong()).incrementAndGet();
        total.incrementAndGet();
        long second = letter.timestamp().getEpochSecond();
        long now = clock.instant().getEpochSecond();
        if (second > now - WINDOW_SECONDS && second <= now) {
            int i = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
            if (bucketSecond[i] != second) {
                bucketSecond[i] = second;
                perSecond[i] = 0;
            }
            perSecond[i]++;
        }
    }

    /** Dead letters that arrived (by record time) in the last {@code window}. */
    public synchronized long arrivedWithin(Duration window) {
        long now = clock.instant().getEpochSecond();
        long from = now - Math.min(window.getSeconds(), WINDOW_SECONDS - 1);
        long n = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (bucketSecond[i] > from && bucketSecond[i] <= now) {
                n += perSecond[i];
            }
        }
        return n;
    }

    public Counts counts() {
        Map<String, Long> byClassification = new TreeMap<>();
        Map<String, Map<String, Long>> byReason = new TreeMap<>();
        counts.forEach((classification, reasons) -> reasons.forEach((reason, n) -> {
            byClassification.merge(classification, n.get(), Long::sum);
            byReason.computeIfAbsent(classification, c -> new TreeMap<>()).put(reason, n.get());
        }));
        return new Counts(total.get(), byClassification, byReason, arrivedWithin(Duration.ofMinutes(1)),
                arrivedWithin(Duration.ofMinutes(5)) / 5.0);
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null && thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
