package dev.eventpipeline.contract;

/**
 * Kafka record header names written by the pipeline. Error headers follow Connect's own
 * {@code __connect.errors.*} style so that one DLQ consumer reads records from sink DLQs and from
 * our source-side transforms alike.
 */
public final class EventHeaders {
    /** Epoch millis at which the ingestion task received the event. */
    public static final String RECEIVED_AT = "event-pipeline.received.at";
    /** Connector name and task id that accepted the event, e.g. {@code event-source-0}. */
    public static final String INGEST_TASK = "event-pipeline.ingest.task";
    /** Transport that carried the event: {@code http} or {@code ws}. */
    public static final String TRANSPORT = "event-pipeline.transport";

    /** Prefix of Connect's error-context headers (errors.deadletterqueue.context.headers.enable). */
    public static final String ERROR_PREFIX = "__connect.errors.";
    public static final String ERROR_TOPIC = ERROR_PREFIX + "topic";
    public static final String ERROR_PARTITION = ERROR_PREFIX + "partition";
    public static final String ERROR_OFFSET = ERROR_PREFIX + "offset";
    public static final String ERROR_CONNECTOR = ERROR_PREFIX + "connector.name";
    public static final String ERROR_TASK = ERROR_PREFIX + "task.id";
    public static final String ERROR_STAGE = ERROR_PREFIX + "stage";
    public static final String ERROR_CLASS = ERROR_PREFIX + "class.name";
    public static final String ERROR_EXCEPTION_CLASS = ERROR_PREFIX + "exception.class.name";
    public static final String ERROR_EXCEPTION_MESSAGE = ERROR_PREFIX + "exception.message";
    public static final String ERROR_EXCEPTION_STACKTRACE = ERROR_PREFIX + "exception.stacktrace";
    /** Our addition for records our own transforms route to the DLQ: the reason in words. */
    public static final String ERROR_REASON = ERROR_PREFIX + "reason";

    /**
     * {@link #ERROR_STAGE} of a record the enrichment (ksqlDB queries or their embedded twin) could not
     * read into the source stream's columns (ksqlDB skips it to its processing log; the twin
     * dead-letters it). The record is not enriched.
     */
    public static final String STAGE_ENRICHMENT_READ = "ENRICHMENT_READ";
    /**
     * {@link #ERROR_STAGE} of a record for which an enrichment function failed: the enriched record
     * is still written with that function's field null (as ksqlDB does), the dead letter says why.
     */
    public static final String STAGE_ENRICHMENT_FUNCTION = "ENRICHMENT_FUNCTION";

    /**
     * How many times the gateway's dead-letter retrier has put this record back on its source topic;
     * a sink that fails again copies it into its new DLQ record, so the budget holds across attempts.
     */
    public static final String RETRY_ATTEMPT = "event-pipeline.retry.attempt";
    /** On a DLQ record the retrier gave up on: why (budget exhausted, nowhere to retry to). */
    public static final String DLQ_PARKED = "event-pipeline.dlq.parked";
    /** On a record put back by retry or replay: the DLQ record it came from, {@code partition/offset}. */
    public static final String DLQ_REPLAYED_FROM = "event-pipeline.dlq.replayed.from";

    private EventHeaders() {
    }
}
