package dev.eventpipeline.contract;

/** Kafka topic names of the data contract (DESIGN.md, "Data contract"); defined here once. */
public final class Topics {
    /** Every accepted event as the source connector produced it, before any transform. */
    public static final String RAW = "cart-events-raw";
    /** Schema-valid, first-seen events. */
    public static final String VALIDATED = "cart-events-validated";
    /** Validated events enriched with user, store, session and cart features. */
    public static final String ENRICHED = "cart-events-enriched";
    /** Invalid events and processing failures: original bytes plus error headers. */
    public static final String DLQ = "cart-events-dlq";
    /** Compacted topic holding the schema registry. */
    public static final String SCHEMAS = "_event-pipeline-schemas";

    private Topics() {
    }
}
