-- V001: the events_raw table. Never edit this file once released; change the schema with a new
-- V002__*.sql (ALTER ... ADD COLUMN IF NOT EXISTS ...) and list it in SchemaMigrations.FILES.
--
-- ${database} is replaced by the connector's clickhouse.database. Every statement must be
-- idempotent: the file is applied at every task start (schema.apply=true).
-- Works on ClickHouse 18.16 (Debian bookworm) and current releases.

CREATE DATABASE IF NOT EXISTS `${database}`;

-- events_raw: every event read from cart-events-raw (the source connector's output before any
-- validation), with where it came from in Kafka.
--
-- Time: all DateTime columns are DateTime('UTC'). The connector sends 'YYYY-MM-DD hh:mm:ss' in UTC
-- and the column's zone makes the server read and print them in UTC whatever its own time zone.
-- Second precision: DateTime64 does not exist on 18.16; the exact occurredAt stays in raw.
--
-- De-duplication: ReplacingMergeTree keeps one row per sorting key within a partition after merges
-- (or at query time with FINAL / after OPTIMIZE ... FINAL); the version column received_at decides
-- which copy survives (the latest receipt; equal for redeliveries of the same Kafka record).
-- The sorting key is event_id alone, the client-chosen idempotency key, so "one row per event_id"
-- depends on nothing but the event id and the partition. Partitions are by month of occurred_at,
-- which is part of the event itself: a Kafka redelivery carries the same occurredAt and lands in the
-- same partition. (ORDER BY (toDate(occurred_at), event_id) would prune by day better, but a client
-- retry that re-stamps occurredAt on another day would then keep two rows; with event_id alone
-- only a retry crossing a month boundary can.)
-- Retention (18 months) needs TTL, which 18.16 lacks: not set here yet.
CREATE TABLE IF NOT EXISTS `${database}`.`events_raw`
(
    event_id        String,
    type            String,
    schema_version  UInt32,
    occurred_at     DateTime('UTC'),
    user_id         Nullable(String),
    session_id      String,
    store_id        String,
    payload         String,
    raw             String,
    status          String,
    received_at     DateTime('UTC'),
    ingest_task     String,
    kafka_topic     String,
    kafka_partition UInt32,
    kafka_offset    UInt64,
    inserted_at     DateTime('UTC') DEFAULT now()
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY event_id;
