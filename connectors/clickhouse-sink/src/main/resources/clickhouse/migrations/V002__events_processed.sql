-- V002: the events_processed table: enriched events (topic cart-events-enriched), the enrichment
-- as real columns. Never edit this file once released; change the schema with a new file.
--
-- ${database} is replaced by the connector's clickhouse.database. Idempotent; applied at every task
-- start (schema.apply=true). Works on ClickHouse 18.16 (Debian bookworm) and current releases.
--
-- The enrichment columns are filled through fields.paths (default: the enrichment contract in the
-- module README, e.g. enrichment.user.lastSeen -> user_last_seen). They are Nullable: an event the
-- enrichment could not fully enrich (Redis degraded) still gets a row, with NULLs where nothing was
-- known. Fields of the event that no column takes go to extra as JSON (unknown.fields=keep).
-- De-duplication as in events_raw: ReplacingMergeTree(received_at), ORDER BY event_id, partitions
-- by month of occurred_at; query with FINAL (see README, "Querying").
CREATE TABLE IF NOT EXISTS `${database}`.`events_processed`
(
    event_id                String,
    type                    String,
    schema_version          UInt32,
    occurred_at             DateTime('UTC'),
    user_id                 Nullable(String),
    session_id              String,
    store_id                String,
    payload                 String,
    user_last_seen          Nullable(DateTime('UTC')),
    user_purchase_count     Nullable(UInt32),
    user_lifetime_value     Nullable(Float64),
    user_preferences        Nullable(String),
    user_segment            Nullable(String),
    store_timezone          Nullable(String),
    store_local_time        Nullable(String),
    store_open_now          Nullable(UInt8),
    session_position        Nullable(UInt32),
    session_started_at      Nullable(DateTime('UTC')),
    ms_since_session_start  Nullable(Int64),
    ms_since_previous_event Nullable(Int64),
    cart_item_count         Nullable(UInt32),
    cart_value              Nullable(Float64),
    cart_value_change       Nullable(Float64),
    currency                Nullable(String),
    cart_value_eur          Nullable(Float64),
    pipeline_version        String,
    enriched_at             Nullable(DateTime('UTC')),
    redis_degraded          UInt8,
    extra                   String,
    received_at             DateTime('UTC'),
    ingest_task             String,
    kafka_topic             String,
    kafka_partition         UInt32,
    kafka_offset            UInt64,
    inserted_at             DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY event_id;
