package dev.eventpipeline.loadgen;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@code accepted} ack as (partition, offset, hash of eventId) in primitive arrays, so millions of
 * acks fit in a few tens of MB; {@link #verify} then reads the acknowledged offsets back from Kafka and
 * checks that each holds the acknowledged event (no ack without a record).
 */
public final class AckLedger {
    private long[] keys = new long[1 << 16];
    private long[] hashes = new long[1 << 16];
    private int size;
    private final Map<String, Integer> topics = new HashMap<>();
    private final List<String> topicNames = new ArrayList<>();

    public synchronized void add(String topic, int partition, long offset, String eventId) {
        Integer t = topics.get(topic);
        if (t == null) {
            t = topicNames.size();
            topics.put(topic, t);
            topicNames.add(topic);
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        keys[size] = key(t, partition, offset);
        hashes[size] = hash(eventId);
        size++;
    }

    public synchronized int size() {
        return size;
    }

    static long key(int topic, int partition, long offset) {
        return ((long) topic << 56) | ((long) partition << 40) | offset;
    }

    static long hash(String s) {
        long h = 1125899906842597L;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    /** Result of a verification. */
    public record Verification(long acked, long found, long missing, long mismatched) {
        public boolean ok() {
            return missing == 0 && mismatched == 0;
        }
    }

    /** Reads every acknowledged offset range back from Kafka. */
    public synchronized Verification verify(String bootstrapServers, Duration timeout) {
        long[] order = new long[size];
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(keys[a], keys[b]));
        long[] sortedKeys = new long[size];
        long[] sortedHashes = new long[size];
        for (int i = 0; i < size; i++) {
            sortedKeys[i] = keys[idx[i]];
            sortedHashes[i] = hashes[idx[i]];
        }
        boolean[] seen = new boolean[size];
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        for (long k : sortedKeys) {
            TopicPartition tp = new TopicPartition(topicNames.get((int) (k >>> 56)), (int) ((k >>> 40) & 0xFFFF));
            long offset = k & 0xFF_FFFF_FFFFL;
            ranges.merge(tp, new long[]{offset, offset}, (a, b) -> new long[]{Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        long found = 0;
        long mismatched = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers, "enable.auto.commit", "false",
                "max.poll.records", "5000", "fetch.max.bytes", "52428800"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(ranges.keySet());
            ranges.forEach((tp, r) -> consumer.seek(tp, r[0]));
            Map<TopicPartition, Boolean> done = new HashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (done.size() < ranges.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    long[] range = ranges.get(tp);
                    if (r.offset() >= range[1]) {
                        done.put(tp, true);
                    }
                    long k = key(topics.get(r.topic()), r.partition(), r.offset());
                    int at = Arrays.binarySearch(sortedKeys, k);
                    if (at < 0) {
                        continue;
                    }
                    String id = eventIdOf(r.value());
                    if (id != null && hash(id) == sortedHashes[at]) {
                        if (!seen[at]) {
                            seen[at] = true;
                            found++;
                        }
                    } else {
                        mismatched++;
                    }
                }
            }
        }
        return new Verification(size, found, size - found - mismatched, mismatched);
    }

    static String eventIdOf(String json) {
        int at = json.indexOf("\"eventId\"");
        if (at < 0) {
            return null;
        }
        int start = json.indexOf('"', json.indexOf(':', at) + 1);
        int end = json.indexOf('"', start + 1);
        return start < 0 || end < 0 ? null : json.substring(start + 1, end);
    }
}
