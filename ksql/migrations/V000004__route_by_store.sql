-- Per-store route (issue #6): every enriched event that has a storeId, re-keyed by storeId, so one
-- store's events are in order on one partition of cart-route-by-store. Store teams and per-store
-- dashboards consume it (filtering on the key), and per-store aggregations (GROUP BY `storeId`)
-- read it without another repartition. One keyed topic instead of one topic per store: ksqlDB
-- cannot write to a topic named by a column, so per-store topics would need a statement (and a
-- migration) per store. The value is the enriched record unchanged (AS_VALUE keeps `storeId` in it).
CREATE STREAM cart_route_by_store
  WITH (KAFKA_TOPIC='cart-route-by-store', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT
  `storeId` AS `storeKey`,
  `eventId`, `type`, `schemaVersion`, `occurredAt`, `userId`, `sessionId`, AS_VALUE(`storeId`) AS `storeId`,
  `payload`, `enrichment`
FROM cart_events_enriched
WHERE `storeId` IS NOT NULL
PARTITION BY `storeId`
EMIT CHANGES;
