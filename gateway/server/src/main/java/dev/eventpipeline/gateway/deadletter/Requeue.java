package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.contract.EventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Puts a dead letter back where it failed: the original key, value and headers on the topic named by
 * {@code __connect.errors.topic}, without the error headers (a sink that fails again writes fresh
 * ones), with the attempt count and the DLQ position it came from. Sinks write with
 * ReplacingMergeTree semantics, so a record put back twice still ends as one row.
 */
public final class Requeue {
    private Requeue() {
    }

    /** The topic the record failed on, when the DLQ record names one. */
    public static Optional<String> sourceTopic(ConsumerRecord<byte[], byte[]> dlqRecord) {
        Header h = dlqRecord.headers().lastHeader(EventHeaders.ERROR_TOPIC);
        return h == null || h.value() == null || h.value().length == 0 ? Optional.empty()
                : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** @param attempt the attempt number to record ({@code retryAttempt + 1} for the retrier) */
    public static ProducerRecord<byte[], byte[]> toSource(ConsumerRecord<byte[], byte[]> dlqRecord, String topic, int attempt) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : dlqRecord.headers()) {
            if (!h.key().startsWith(EventHeaders.ERROR_PREFIX) && !h.key().equals(EventHeaders.RETRY_ATTEMPT)
                    && !h.key().equals(EventHeaders.DLQ_REPLAYED_FROM) && !h.key().equals(EventHeaders.DLQ_PARKED)) {
                headers.add(h);
            }
        }
        headers.add(EventHeaders.RETRY_ATTEMPT, Integer.toString(attempt).getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.DLQ_REPLAYED_FROM, (dlqRecord.partition() + "/" + dlqRecord.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, dlqRecord.key(), dlqRecord.value(), headers);
    }

    /** A copy of the DLQ record marked parked, with the reason: it is listed as {@code parked} from then on. */
    public static ProducerRecord<byte[], byte[]> parked(ConsumerRecord<byte[], byte[]> dlqRecord, String why) {
        RecordHeaders headers = new RecordHeaders(dlqRecord.headers().toArray());
        headers.remove(EventHeaders.DLQ_PARKED);
        headers.add(EventHeaders.DLQ_PARKED, why.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(dlqRecord.topic(), dlqRecord.partition(), dlqRecord.key(), dlqRecord.value(), headers);
    }
}
