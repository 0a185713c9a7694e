-- V003: the events_errors table: the content of cart-events-dlq, written by Connect sink DLQs
-- (headers __connect.errors.*) and by the source-side ValidateEvent transform (the same headers plus
-- __connect.errors.reason / json.pointers / schema.subject / schema.version). Never edit once released.
--
-- Any value is accepted (a table with an original_payload column is "lenient" in the connector):
-- original_payload keeps the record's bytes as text (UTF-8; "base64:..." when they are not UTF-8),
-- envelope columns are filled when the payload is a JSON event and empty otherwise.
--
-- One row per dead letter: one event can fail several times (at different stages), and a payload
-- that is not JSON has no event id, so the key is the dead letter's own Kafka coordinates; a
-- redelivered DLQ record has the same coordinates and collapses (FINAL / OPTIMIZE ... FINAL).
-- Partitions by month of received_at (a redelivery carries the same header/timestamp).
CREATE TABLE IF NOT EXISTS `${database}`.`events_errors`
(
    event_id                String,
    type                    String,
    occurred_at             DateTime('UTC'),
    user_id                 Nullable(String),
    session_id              String,
    store_id                String,
    error_reason            String,
    error_stage             String,
    error_class             String,
    error_exception_class   String,
    error_exception_message String,
    error_stacktrace        String,
    error_connector         String,
    error_task              String,
    error_source_topic      String,
    error_source_partition  Nullable(Int32),
    error_source_offset     Nullable(Int64),
    error_json_pointers     String,
    error_schema_subject    String,
    error_schema_version    Nullable(UInt32),
    original_payload        String,
    headers                 String,
    received_at             DateTime('UTC'),
    kafka_topic             String,
    kafka_partition         UInt32,
    kafka_offset            UInt64,
    inserted_at             DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(received_at)
ORDER BY (kafka_topic, kafka_partition, kafka_offset);
