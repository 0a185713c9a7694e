package dev.eventpipeline.ingest.ack;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The record the task hands to Connect, carrying the callback of the client waiting for it. Connect
 * gives {@code commitRecord} the very object {@code poll()} returned (the pre-transform record), so the
 * task finds the waiting client without any map lookup, and identity (not equals) decides.
 *
 * <p>{@link #complete} calls the callback at most once, whoever comes first: Connect's report, the
 * ack timeout, or the task stopping.
 */
public final class TrackedRecord extends SourceRecord {
    private final AtomicReference<Consumer<Outcome>> callback;
    private final long admittedNanos;
    private final long deadlineNanos;
    private final String eventId;
    /** Set at admission, before the record is queued (the queue hands it to poll safely); see {@link #admissionWork}. */
    private volatile Object admissionWork;

    public TrackedRecord(Map<String, ?> sourcePartition, Map<String, ?> sourceOffset, String topic,
                         Schema keySchema, Object key, Schema valueSchema, Object value, Long timestamp,
                         Iterable<Header> headers, String eventId, Consumer<Outcome> callback, long admittedNanos,
                         long timeoutNanos) {
        super(sourcePartition, sourceOffset, topic, null, keySchema, key, valueSchema, value, timestamp, headers);
        this.eventId = eventId;
        this.callback = new AtomicReference<>(callback);
        this.admittedNanos = admittedNanos;
        this.deadlineNanos = admittedNanos + timeoutNanos;
    }

    /** @return true when this call answered the client (false: already answered) */
    public boolean complete(Outcome outcome) {
        Consumer<Outcome> c = callback.getAndSet(null);
        if (c == null) {
            return false;
        }
        c.accept(outcome);
        return true;
    }

    public boolean isDone() {
        return callback.get() == null;
    }

    /** The envelope's eventId (the client's, checked before the event was admitted). */
    public String eventId() {
        return eventId;
    }

    /**
     * What the poll batch hook started for this record when it was admitted (the de-duplication pre-mark:
     * its Redis mark in flight), for the same hook to collect in {@code beforeSend}; opaque to the task.
     */
    public Object admissionWork() {
        return admissionWork;
    }

    public void admissionWork(Object work) {
        this.admissionWork = work;
    }

    public long admittedNanos() {
        return admittedNanos;
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }

    // SourceRecord.equals/hashCode compare content; keep them (Connect may put records in hash maps).
    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
