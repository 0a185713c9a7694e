package dev.eventpipeline.ingest.record;

import dev.eventpipeline.contract.EventHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.ack.TrackedRecord;

import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an accepted event into the {@link SourceRecord} Connect writes:
 * <ul>
 *   <li>value: the client's JSON text unchanged, {@link Schema#STRING_SCHEMA}, so the worker's
 *       {@code StringConverter} writes the client's bytes (the DLQ keeps the original bytes too);</li>
 *   <li>key: {@code sessionId}, so one session's events stay in order on one partition;</li>
 *   <li>timestamp: receive time; headers {@link EventHeaders#RECEIVED_AT},
 *       {@link EventHeaders#INGEST_TASK}, {@link EventHeaders#TRANSPORT};</li>
 *   <li>source partition {@code {"listener": "host:port"}} and source offset
 *       {@code {"received.at": millis, "seq": n}}.</li>
 * </ul>
 *
 * <p>Connect requires an offset but nothing ever reads it back: a push source cannot rewind its
 * clients. Replays are driven by clients (they retry until answered, with the same eventId), not by
 * offsets. The per-task sequence keeps two records distinct even when their content is equal: the
 * exactly-once worker keeps records in a map keyed by {@code SourceRecord.equals}.
 */
public final class EventRecordFactory {
    public static final String PARTITION_LISTENER = "listener";
    public static final String OFFSET_RECEIVED_AT = "received.at";
    public static final String OFFSET_SEQUENCE = "seq";

    private final String topic;
    private final Map<String, String> sourcePartition;
    private final String ingestTask;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param topic      topic to write to
     * @param listener   {@code host:port} of the listener, names the source partition
     * @param ingestTask connector name + "-" + task id, written to {@link EventHeaders#INGEST_TASK}
     */
    public EventRecordFactory(String topic, String listener, String ingestTask) {
        this.topic = topic;
        this.sourcePartition = Map.of(PARTITION_LISTENER, listener);
        this.ingestTask = ingestTask;
    }

    /** A record carrying the client's callback; see {@link TrackedRecord}. */
    public TrackedRecord create(ReceivedEvent event, Consumer<Outcome> callback, long admittedNanos, long timeoutNanos) {
        ConnectHeaders headers = headers(event);
        Map<String, Object> sourceOffset = Map.of(
                OFFSET_RECEIVED_AT, event.receivedAt(),
                OFFSET_SEQUENCE, sequence.incrementAndGet());
        return new TrackedRecord(sourcePartition, sourceOffset, topic,
                Schema.STRING_SCHEMA, event.envelope().sessionId(),
                Schema.STRING_SCHEMA, event.json(),
                event.receivedAt(), headers, event.envelope().eventId(), callback, admittedNanos, timeoutNanos);
    }

    private ConnectHeaders headers(ReceivedEvent event) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(EventHeaders.RECEIVED_AT, Long.toString(event.receivedAt()));
        headers.addString(EventHeaders.INGEST_TASK, ingestTask);
        headers.addString(EventHeaders.TRANSPORT, event.transport());
        return headers;
    }

    public SourceRecord create(ReceivedEvent event) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(EventHeaders.RECEIVED_AT, Long.toString(event.receivedAt()));
        headers.addString(EventHeaders.INGEST_TASK, ingestTask);
        headers.addString(EventHeaders.TRANSPORT, event.transport());
        Map<String, Object> sourceOffset = Map.of(
                OFFSET_RECEIVED_AT, event.receivedAt(),
                OFFSET_SEQUENCE, sequence.incrementAndGet());
        return new SourceRecord(sourcePartition, sourceOffset, topic, null,
                Schema.STRING_SCHEMA, event.envelope().sessionId(),
                Schema.STRING_SCHEMA, event.json(),
                event.receivedAt(), headers);
    }

    public String topic() {
        return topic;
    }

    public String ingestTask() {
        return ingestTask;
    }
}
