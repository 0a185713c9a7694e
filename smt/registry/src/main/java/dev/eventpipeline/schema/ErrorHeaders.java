package dev.eventpipeline.schema;

import dev.eventpipeline.contract.EventHeaders;

/**
 * Headers ValidateEvent writes on records it routes to the DLQ. The standard ones are Connect's own
 * ({@link EventHeaders#ERROR_PREFIX} {@code __connect.errors.*}, so one DLQ consumer reads sink DLQ
 * records and ours alike); the schema-specific ones extend the same prefix.
 */
public final class ErrorHeaders {
    /** Human-readable reason; equal to {@link EventHeaders#ERROR_EXCEPTION_MESSAGE}. */
    public static final String REASON = EventHeaders.ERROR_PREFIX + "reason";
    /** JSON array of JSON pointers (into the event) of the failing values, e.g. {@code ["/payload/quantity"]}. */
    public static final String JSON_POINTERS = EventHeaders.ERROR_PREFIX + "json.pointers";
    /** Subject (event type) the event was validated against. */
    public static final String SCHEMA_SUBJECT = EventHeaders.ERROR_PREFIX + "schema.subject";
    /** Version (the event's schemaVersion) it was validated against. */
    public static final String SCHEMA_VERSION = EventHeaders.ERROR_PREFIX + "schema.version";
    /** Value of {@link EventHeaders#ERROR_STAGE} on our records (Connect's own stage name for SMTs). */
    public static final String STAGE_TRANSFORMATION = "TRANSFORMATION";
    /** Value of {@link EventHeaders#ERROR_EXCEPTION_CLASS}: not a Java exception, a schema violation. */
    public static final String SCHEMA_VIOLATION = "dev.eventpipeline.schema.SchemaViolation";

    /** On valid records: the version the client sent, when the event was upgraded. */
    public static final String ORIGINAL_SCHEMA_VERSION = "event-pipeline.schema.original.version";
    /** On valid records: the event's eventId, so later transforms need not parse the JSON. */
    public static final String EVENT_ID = "event-pipeline.event.id";
    /** On records DeduplicateEvent passed: the dedup hash (what {@code event_dedup:{hash}} uses). */
    public static final String DEDUP_HASH = "event-pipeline.dedup.hash";
    /**
     * Set by a source task that already marked the event itself ({@code DedupStore.markAll} per poll
     * batch, one pipelined round trip): {@code NEW}, {@code PENDING} or {@code CONFIRMED}, together with
     * {@link #DEDUP_HASH}. DeduplicateEvent then decides from the header without a Redis call.
     */
    public static final String DEDUP_MARK = "event-pipeline.dedup.mark";

    private ErrorHeaders() {
    }
}
