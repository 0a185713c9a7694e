-- Purchase history for the user profile (issue #6): the order totals behind USER_PROFILE's
-- lifetimeValue and segment. Key userId, value {"purchaseHistory": [{"orderId", "total", "currency"}, ...]}
-- of the user's completed orders, in order; the Redis sink connector writes it as JSON text into
-- the field purchaseHistory of user_profile:{userId}, next to purchaseCount (V000003).
-- A new table rather than a column of user_profile_purchases: ksqlDB cannot add an aggregate to a
-- running table in place, and dropping and re-creating that table would recount purchaseCount
-- from the enriched topic's retention only. Orders older than this query's start are not in the
-- history; USER_PROFILE then reports lifetimeValue/segment as null (history shorter than purchaseCount).
-- COLLECT_LIST keeps the first ksql.functions.collect_list.limit (1000) orders of a user; it takes a
-- STRUCT since ksqlDB 0.25 (compose runs 0.29).
CREATE TABLE user_profile_purchase_history
  WITH (KAFKA_TOPIC='user-profile-purchase-history', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT `userId`,
  COLLECT_LIST(STRUCT(`orderId` := `payload`->`orderId`, `total` := `payload`->`total`,
    `currency` := `payload`->`currency`)) AS `purchaseHistory`
FROM cart_events_enriched
WHERE `type` = 'order.completed' AND `userId` IS NOT NULL
GROUP BY `userId`
EMIT CHANGES;
