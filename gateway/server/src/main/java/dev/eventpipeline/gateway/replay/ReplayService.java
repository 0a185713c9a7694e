package dev.eventpipeline.gateway.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.gateway.deadletter.DeadLetter;
import dev.eventpipeline.gateway.deadletter.DeadLetterReader;
import dev.eventpipeline.gateway.deadletter.Requeue;
import dev.eventpipeline.schema.EventValidator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Replays selected dead letters, each the way it can succeed:
 * <ul>
 *   <li>an event the validation transform rejected is re-validated against the registry's current
 *       schemas; if it passes now it is sent to the event-source connector again, so it goes
 *       through the same validation, carry-forward and de-duplication as a new event (replaying it
 *       twice gives {@code duplicate} the second time); if not, nothing is sent and the reason is
 *       returned;</li>
 *   <li>any other dead letter (a sink's failure) is put back on its source topic; the sinks'
 *       ReplacingMergeTree tables keep one row per event however often that happens.</li>
 * </ul>
 */
public final class ReplayService implements AutoCloseable {
    private final DeadLetterReader reader;
    private final Optional<EventValidator> validator;
    private final IngestClient ingest;
    private final KafkaProducer<byte[], byte[]> producer;

    public ReplayService(DeadLetterReader reader, Optional<EventValidator> validator, IngestClient ingest, String bootstrapServers) {
        this.reader = reader;
        this.validator = validator;
        this.ingest = ingest;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public List<ReplayResult> replay(ReplayRequest request) throws InterruptedException {
        List<ReplayResult> results = new ArrayList<>();
        // Oldest first: replay in the order the events originally failed.
        List<DeadLetterReader.Found> found = new ArrayList<>(reader.scan(request.filter(), request::picks));
        java.util.Collections.reverse(found);
        for (DeadLetterReader.Found f : found) {
            results.add(replayOne(f.letter(), f.record(), request.dryRun()));
        }
        return results;
    }

    ReplayResult replayOne(DeadLetter letter, ConsumerRecord<byte[], byte[]> record, boolean dryRun) throws InterruptedException {
        if (rejectedByValidation(record)) {
            return reinject(letter, record, dryRun);
        }
        Optional<String> source = Requeue.sourceTopic(record);
        if (source.isEmpty()) {
            return result(letter, "not-replayable", "the record names no source topic (__connect.errors.topic) to put it back on", null);
        }
        if (dryRun) {
            return result(letter, "would-requeue", "would be put back on " + source.get(), null);
        }
        try {
            RecordMetadata m = producer.send(Requeue.toSource(record, source.get(), letter.retryAttempt())).get(20, TimeUnit.SECONDS);
            ObjectNode where = JsonMapper.get().createObjectNode().put("topic", m.topic()).put("partition", m.partition()).put("offset", m.offset());
            return result(letter, "requeued", "put back on " + m.topic(), where);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return result(letter, "failed", "cannot write to " + source.get() + ": " + e.getMessage(), null);
        }
    }

    private ReplayResult reinject(DeadLetter letter, ConsumerRecord<byte[], byte[]> record, boolean dryRun) throws InterruptedException {
        if (record.value() == null) {
            return result(letter, "not-replayable", "the dead letter has no value", null);
        }
        if (validator.isEmpty()) {
            return result(letter, "failed", "this gateway runs without a schema registry, so it cannot re-validate", null);
        }
        EventValidator.Result check = validator.get().validate(record.value());
        if (!check.valid()) {
            return result(letter, "still-invalid", check.reason(), null);
        }
        if (dryRun) {
            return result(letter, "would-reinject", "valid against " + check.subject() + " v" + check.version() + " now", null);
        }
        try {
            IngestClient.Ack ack = ingest.post(record.value());
            String status = ack.body().path("status").asText("failed");
            String reason = ack.body().path("reason").asText(null);
            if (ack.httpStatus() == 429 || ack.httpStatus() == 503) {
                return result(letter, "failed", "the ingestion listener answered " + ack.httpStatus() + " (busy or stopping): replay again later"
                        + (reason == null ? "" : "; " + reason), ack.body());
            }
            return result(letter, status, reason, ack.body());
        } catch (java.io.IOException e) {
            return result(letter, "failed", "cannot reach the ingestion listener: " + e.getMessage(), null);
        }
    }

    /** Our validation transform's dead letters carry its reason header (and its class as the failing stage's class). */
    static boolean rejectedByValidation(ConsumerRecord<byte[], byte[]> record) {
        return record.headers().lastHeader(EventHeaders.ERROR_REASON) != null;
    }

    private static ReplayResult result(DeadLetter letter, String outcome, String reason, com.fasterxml.jackson.databind.JsonNode ack) {
        return new ReplayResult(letter.partition(), letter.offset(), letter.eventId(), outcome, reason, ack);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
