package dev.eventpipeline.ksql;

import dev.eventpipeline.contract.EventHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link DeadLetter} into the DLQ record the rest of the pipeline writes: the original key,
 * value and timestamp, the original headers, and Connect's {@code __connect.errors.*} error headers
 * (topic/partition/offset of the failed record, stage, class, exception, our reason), so one DLQ
 * consumer (the events_errors sink, the gateway's dead-letter API) reads them like any other.
 * {@code connector.name} carries the Kafka Streams application id and {@code task.id} the stream task.
 * One instance per processor (stream task), used by {@link EnrichProcessor}.
 *
 * <p>Counted twice: in {@link DeadLetterCounts} (the runtime's API) and as the Kafka Streams metrics
 * {@code dead-letter-total}/{@code dead-letter-rate} (group {@code stream-enrichment-metrics}, tag
 * {@code enrichment-id} = the stage in lower case; JMX and {@code KafkaStreams#metrics()}).
 */
final class DeadLetterWriter {
    static final String METRIC_SCOPE = "enrichment";
    static final String METRIC_OPERATION = "dead-letter";

    private final DeadLetterCounts counts;
    private final Map<String, Sensor> sensors = new HashMap<>();

    DeadLetterWriter(DeadLetterCounts counts) {
        this.counts = counts;
    }

    /**
     * Counts the letter and returns the headers of its DLQ record: a copy of {@code original} (the
     * input record's headers are shared with every other output of this record) plus the error headers.
     */
    Headers headers(ProcessingContext context, Headers original, DeadLetter letter) {
        Headers headers = new RecordHeaders(original.toArray());
        Optional<RecordMetadata> source = context.recordMetadata();
        source.ifPresent(m -> {
            put(headers, EventHeaders.ERROR_TOPIC, m.topic());
            put(headers, EventHeaders.ERROR_PARTITION, Integer.toString(m.partition()));
            put(headers, EventHeaders.ERROR_OFFSET, Long.toString(m.offset()));
        });
        put(headers, EventHeaders.ERROR_CONNECTOR, context.applicationId());
        put(headers, EventHeaders.ERROR_TASK, context.taskId().toString());
        put(headers, EventHeaders.ERROR_STAGE, letter.stage());
        put(headers, EventHeaders.ERROR_CLASS, letter.errorClass().getName());
        put(headers, EventHeaders.ERROR_EXCEPTION_CLASS,
                (letter.error() == null ? UnreadableRecordException.class : letter.error().getClass()).getName());
        put(headers, EventHeaders.ERROR_EXCEPTION_MESSAGE, letter.reason());
        put(headers, EventHeaders.ERROR_REASON, letter.reason());
        if (letter.error() != null && !(letter.error() instanceof UnreadableRecordException)) {
            put(headers, EventHeaders.ERROR_EXCEPTION_STACKTRACE, stackTrace(letter.error()));
        }
        counts.increment(letter.stage());
        sensors.computeIfAbsent(letter.stage(), stage -> context.metrics().addRateTotalSensor(METRIC_SCOPE,
                stage.toLowerCase(java.util.Locale.ROOT), METRIC_OPERATION, Sensor.RecordingLevel.INFO)).record();
        return headers;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
