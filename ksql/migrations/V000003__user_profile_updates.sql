-- Keeps Redis user_profile:{userId} current (issue #6): the Redis sink connector
-- (connectors/redis-sink, etc/redis-sink-user-profile.json, hash mode) writes each record's fields
-- into the hash named by its key, so lastSeen / purchaseCount / lastPurchaseAt read by USER_PROFILE
-- come from the pipeline itself.

-- Last activity of every known user: key userId, value {"lastSeen": occurredAt}.
CREATE STREAM user_profile_last_seen
  WITH (KAFKA_TOPIC='user-profile-last-seen', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT `userId`, `occurredAt` AS `lastSeen`
FROM cart_events_validated
WHERE `userId` IS NOT NULL
PARTITION BY `userId`
EMIT CHANGES;

-- Purchase history from completed orders: key userId, value {"purchaseCount", "lastPurchaseAt"}.
CREATE TABLE user_profile_purchases
  WITH (KAFKA_TOPIC='user-profile-purchases', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT `userId`, COUNT(*) AS `purchaseCount`, LATEST_BY_OFFSET(`occurredAt`) AS `lastPurchaseAt`
FROM cart_events_enriched
WHERE `type` = 'order.completed' AND `userId` IS NOT NULL
GROUP BY `userId`
EMIT CHANGES;
