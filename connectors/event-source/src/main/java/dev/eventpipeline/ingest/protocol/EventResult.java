package dev.eventpipeline.ingest.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.eventpipeline.ingest.ack.Outcome;

/**
 * The answer for one event, identical on every transport (WebSocket ack frame, HTTP body or element
 * of an HTTP batch's {@code results}):
 * {@code {"eventId","status","reason"?,"pointer"?,"topic"?,"partition"?,"offset"?}}.
 *
 * @param eventId   the event's id, null when the event had no usable one
 * @param status    {@link Status}
 * @param reason    why (invalid / failed), else null
 * @param pointer   JSON pointer of the offending field for envelope errors, else null
 * @param topic     where Kafka has it (accepted, or DLQ for invalid), else null
 * @param tooLarge  an invalid event rejected for its size (HTTP 413 rather than 400)
 * @param retryable a failed event because the task's buffer was full (HTTP 429 rather than 503)
 */
public record EventResult(String eventId, Status status, String reason, String pointer,
                          String topic, int partition, long offset, boolean tooLarge, boolean retryable) {

    public enum Status {
        ACCEPTED("accepted"), DUPLICATE("duplicate"), INVALID("invalid"), FAILED("failed");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static final String REASON_QUEUE_FULL = "ingestion buffer full; retry after back-off";
    public static final String REASON_STOPPING = "connector stopping; retry";

    public static EventResult invalid(String eventId, String reason, String pointer) {
        return new EventResult(eventId, Status.INVALID, reason, pointer, null, -1, -1, false, false);
    }

    public static EventResult tooLarge(String eventId, String reason) {
        return new EventResult(eventId, Status.INVALID, reason, null, null, -1, -1, true, false);
    }

    public static EventResult failed(String eventId, String reason) {
        return new EventResult(eventId, Status.FAILED, reason, null, null, -1, -1, false, false);
    }

    public static EventResult queueFull(String eventId) {
        return new EventResult(eventId, Status.FAILED, REASON_QUEUE_FULL, null, null, -1, -1, false, true);
    }

    /** Maps what Connect reported to the client-facing answer. */
    public static EventResult of(String eventId, Outcome outcome) {
        if (outcome instanceof Outcome.Accepted a) {
            return new EventResult(eventId, Status.ACCEPTED, null, null, a.topic(), a.partition(), a.offset(), false, false);
        } else if (outcome instanceof Outcome.Duplicate) {
            return new EventResult(eventId, Status.DUPLICATE, null, null, null, -1, -1, false, false);
        } else if (outcome instanceof Outcome.Invalid i) {
            return new EventResult(eventId, Status.INVALID, i.reason(), null, i.topic(), i.partition(), i.offset(), false, false);
        } else if (outcome instanceof Outcome.Failed f) {
            return failed(eventId, f.reason());
        }
        throw new IllegalArgumentException("unknown outcome " + outcome);
    }

    /** Final for the client: accepted, duplicate or invalid must not be sent again unchanged. */
    public boolean isFinal() {
        return status != Status.FAILED;
    }

    /** Compact JSON; written by hand because this runs once per event on Connect's producer thread. */
    public String toJson() {
        StringBuilder out = new StringBuilder(96);
        appendJson(out);
        return out.toString();
    }

    public void appendJson(StringBuilder out) {
        out.append('{');
        boolean comma = false;
        if (eventId != null) {
            out.append("\"eventId\":");
            quote(out, eventId);
            comma = true;
        }
        if (comma) {
            out.append(',');
        }
        out.append("\"status\":\"").append(status.wire()).append('"');
        if (reason != null) {
            out.append(",\"reason\":");
            quote(out, reason);
        }
        if (pointer != null) {
            out.append(",\"pointer\":");
            quote(out, pointer);
        }
        if (topic != null) {
            out.append(",\"topic\":");
            quote(out, topic);
            out.append(",\"partition\":").append(partition).append(",\"offset\":").append(offset);
        }
        out.append('}');
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }
}
