package dev.eventpipeline.gateway.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventEnvelope;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.JsonMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the DLQ topic directly (no consumer group, nothing committed), scanning at most
 * {@link #SCAN_PER_PARTITION} recent records per partition, newest first in the answer.
 */
public final class DeadLetterReader {
    static final int SCAN_PER_PARTITION = 20_000;
    private final String bootstrapServers;
    private final String topic;

    public DeadLetterReader(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    public List<DeadLetter> read(DeadLetterQuery query) {
        return scan(query).stream().map(Found::letter).toList();
    }

    /** A dead letter with the record it was read from (replay needs the original key, value and headers). */
    public record Found(DeadLetter letter, ConsumerRecord<byte[], byte[]> record) {
    }

    /** The records matching {@code query}, newest first, at most {@code query.limit()}. */
    public List<Found> scan(DeadLetterQuery query) {
        return scan(query, d -> true);
    }

    /** As {@link #scan(DeadLetterQuery)}, keeping only letters that also pass {@code also} (before the limit). */
    public List<Found> scan(DeadLetterQuery query, java.util.function.Predicate<DeadLetter> also) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        List<Found> matches = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(5))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(5));
            Map<TopicPartition, Long> remaining = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                long from = Math.max(starts.get(tp), ends.get(tp) - SCAN_PER_PARTITION);
                if (query.since().isPresent()) {
                    var byTime = consumer.offsetsForTimes(Map.of(tp, query.since().get().toEpochMilli()), Duration.ofSeconds(5)).get(tp);
                    from = Math.max(from, byTime == null ? ends.get(tp) : byTime.offset());
                }
                consumer.seek(tp, from);
                if (from < ends.get(tp)) {
                    remaining.put(tp, ends.get(tp));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    DeadLetter d = toDeadLetter(r);
                    if (query.matches(d) && also.test(d)) {
                        matches.add(new Found(d, r));
                    }
                    if (r.offset() + 1 >= remaining.getOrDefault(tp, Long.MAX_VALUE)) {
                        remaining.remove(tp);
                    }
                }
            }
        }
        matches.sort(Comparator.comparing((Found f) -> f.letter().timestamp()).reversed());
        return matches.size() > query.limit() ? List.copyOf(matches.subList(0, query.limit())) : matches;
    }

    static int retryAttempt(Map<String, String> headers) {
        try {
            return Integer.parseInt(headers.getOrDefault(EventHeaders.RETRY_ATTEMPT, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static DeadLetter toDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
        String eventId = null;
        String eventType = null;
        if (value != null) {
            try {
                JsonNode event = JsonMapper.get().readTree(value);
                eventId = event.path(EventEnvelope.EVENT_ID).isTextual() ? event.path(EventEnvelope.EVENT_ID).asText() : null;
                eventType = event.path(EventEnvelope.TYPE).isTextual() ? event.path(EventEnvelope.TYPE).asText() : null;
            } catch (Exception notJson) {
                // kept as text: the value may be exactly why it is a dead letter
            }
        }
        String reason = headers.getOrDefault(EventHeaders.ERROR_REASON, headers.get(EventHeaders.ERROR_EXCEPTION_MESSAGE));
        String parked = headers.get(EventHeaders.DLQ_PARKED);
        if (parked != null) {
            reason = parked + (reason == null ? "" : "; last failure: " + reason);
        }
        return new DeadLetter(r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                DeadLetterClassifier.classify(headers), retryAttempt(headers), reason, headers.get(EventHeaders.ERROR_STAGE),
                headers.get(EventHeaders.ERROR_EXCEPTION_CLASS), headers.get(EventHeaders.ERROR_TOPIC),
                headers.get(EventHeaders.ERROR_CONNECTOR), eventId, eventType, value, headers);
    }
}
