package dev.eventpipeline.smt;

import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Step 2 of the two-step mark without help from the source task: tails the topic the de-duplicated
 * records are written to and confirms the mark of every record found there (its
 * {@code event-pipeline.dedup.hash} header), pipelined per poll. A record in that topic was
 * acknowledged by Kafka, so a confirmed mark never stands for an event that was not written.
 * Starts at the end of the topic (what was written before start keeps its pending mark, which
 * expires: a retry then passes, at-least-once).
 */
final class TopicConfirmer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicConfirmer.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DedupStore store;
    private final ConfirmedCache cache;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long confirmed;
    private volatile long failedBatches;

    TopicConfirmer(String bootstrap, String topic, Map<String, Object> clientProps, DedupStore store,
                   ConfirmedCache cache, LongSupplier clock) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>(clientProps);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "dedup-confirmer-" + Long.toHexString(System.nanoTime()));
        consumer = new KafkaConsumer<>(c);
        List<PartitionInfo> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (parts == null || parts.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("confirm topic " + topic + " does not exist");
        }
        List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // resolve the end now: records written from here on are confirmed
        thread = new Thread(this::run, "dedup-confirmer-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        List<DedupStore.Confirmation> pending = new ArrayList<>();
        int attempts = 0;
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(pending.isEmpty() ? 200 : 0))) {
                    Header hash = r.headers().lastHeader(ErrorHeaders.DEDUP_HASH);
                    if (hash == null || hash.value() == null) {
                        continue;
                    }
                    Header id = r.headers().lastHeader(ErrorHeaders.EVENT_ID);
                    pending.add(new DedupStore.Confirmation(new String(hash.value(), StandardCharsets.UTF_8),
                            id == null || id.value() == null ? null : new String(id.value(), StandardCharsets.UTF_8)));
                }
                if (pending.isEmpty()) {
                    continue;
                }
                try {
                    store.confirmAll(pending);
                    long until = clock.getAsLong() + store.confirmedTtlMs();
                    pending.forEach(p -> cache.put(p.hash(), until));
                    confirmed += pending.size();
                    pending.clear();
                    attempts = 0;
                } catch (RuntimeException e) {
                    failedBatches++;
                    if (++attempts >= 50 || pending.size() > 100_000) {
                        log.warn("Giving up confirming {} dedup mark(s) after {} attempts ({}); their pending marks expire and retries pass",
                                pending.size(), attempts, e.toString());
                        pending.clear();
                        attempts = 0;
                    } else {
                        sleep(Math.min(1000, 50L * attempts));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Dedup confirmer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    long confirmed() {
        return confirmed;
    }

    long failedBatches() {
        return failedBatches;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
