-- Enrichment (issue #6). Reads validated cart events, adds the `enrichment` column with our UDFs
-- (udfs/, jar in ksql.extension.dir), writes cart-events-enriched.
-- Field names are back-quoted so ksqlDB keeps their camelCase in the JSON it writes.
-- The embedded twin (ksql/src/main/java/.../QueryCatalog.java) must declare the same statements:
-- `mvn -pl ksql test` fails when they differ.

CREATE STREAM cart_events_validated (
  `sessionKey` STRING KEY,
  `eventId` STRING,
  `type` STRING,
  `schemaVersion` INT,
  `occurredAt` STRING,
  `userId` STRING,
  `sessionId` STRING,
  `storeId` STRING,
  `payload` STRUCT<
    `cartId` STRING,
    `orderId` STRING,
    `sku` STRING,
    `quantity` INT,
    `previousQuantity` INT,
    `unitPrice` STRUCT<`amount` STRING, `currency` STRING>,
    `items` ARRAY<STRUCT<`sku` STRING, `quantity` INT, `unitPrice` STRUCT<`amount` STRING, `currency` STRING>>>,
    `total` STRUCT<`amount` STRING, `currency` STRING>>
) WITH (KAFKA_TOPIC='cart-events-validated', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE STREAM cart_events_enriched
  WITH (KAFKA_TOPIC='cart-events-enriched', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT
  `sessionKey`,
  `eventId`, `type`, `schemaVersion`, `occurredAt`, `userId`, `sessionId`, `storeId`, `payload`,
  STRUCT(
    `user` := USER_PROFILE(`userId`),
    `store` := STORE_CONTEXT(`storeId`, `occurredAt`),
    `session` := SESSION_CONTEXT(`sessionId`, `occurredAt`),
    `cart` := CART_FEATURES(`sessionId`, `type`, TO_JSON_STRING(`payload`)),
    `meta` := PROCESSING_META()
  ) AS `enrichment`
FROM cart_events_validated
EMIT CHANGES;
