-- Enrichment (issue #6). Reads validated cart events, adds the `enrichment` column with our UDFs
-- (udfs/, jar in ksql.extension.dir), writes cart-events-enriched.
-- Field names are back-quoted so ksqlDB keeps their camelCase in the JSON it writes.
-- `payload` is the union of the payload fields of the latest schema version of every event type in
-- the schema registry (smt/registry/.../schema/shipped/; ValidateEvent upgrades every event to it):
-- JSON Schema string -> STRING, number -> DOUBLE, integer -> INT when its maximum fits, else BIGINT.
-- PayloadContractTest fails the build when this STRUCT and those schemas disagree.
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
    `productId` STRING,
    `sku` STRING,
    `variantId` STRING,
    `category` STRING,
    `quantity` INT,
    `previousQuantity` INT,
    `newQuantity` INT,
    `unitPrice` DOUBLE,
    `discount` DOUBLE,
    `currency` STRING,
    `source` STRING,
    `reason` STRING,
    `cartId` STRING,
    `itemCount` BIGINT,
    `cartValue` DOUBLE,
    `items` ARRAY<STRUCT<`productId` STRING, `quantity` INT, `unitPrice` DOUBLE>>,
    `checkoutId` STRING,
    `couponCode` STRING,
    `subtotal` DOUBLE,
    `orderId` STRING,
    `tax` DOUBLE,
    `shipping` DOUBLE,
    `total` DOUBLE,
    `paymentMethod` STRING>
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
