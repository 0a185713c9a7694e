-- V004: 18 months retention of events_raw by TTL, on servers that have TTL (19.6 and later).
-- min-server-version: 19.6
--
-- ClickHouse 18.16 has no TTL: this file is skipped there (the connector compares the version in
-- the line above with SELECT version()), and the task's retention job drops monthly partitions
-- older than retention.months instead (RetentionJob; README, "Retention"). Both forms give the
-- same result: no row whose occurred_at is older than 18 months survives for long.
-- MODIFY TTL is idempotent: re-applying it sets the same TTL.
ALTER TABLE `${database}`.`events_raw` MODIFY TTL occurred_at + INTERVAL 18 MONTH;
