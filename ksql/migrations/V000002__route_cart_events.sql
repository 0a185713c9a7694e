-- Routes for downstream consumers (issue #6): each is the enriched record, unchanged, in its own
-- topic, keyed by session. Topic names are defined once in contract/Topics.java.

-- Checkout funnel: checkout.started and order.completed (conversion dashboards, funnel drop-off).
CREATE STREAM cart_route_checkout_funnel
  WITH (KAFKA_TOPIC='cart-route-checkout-funnel', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT * FROM cart_events_enriched
WHERE `type` IN ('checkout.started', 'order.completed')
EMIT CHANGES;

-- Abandonment signals: a cleared cart, or a removal that leaves the cart empty (win-back campaigns).
CREATE STREAM cart_route_abandonment_signals
  WITH (KAFKA_TOPIC='cart-route-abandonment-signals', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT * FROM cart_events_enriched
WHERE `type` = 'cart.cleared' OR (`type` = 'cart.item_removed' AND `enrichment`->`cart`->`itemCount` = 0)
EMIT CHANGES;

-- High-value carts: open carts worth at least 250 EUR after the event (sales assist, fraud review).
CREATE STREAM cart_route_high_value_carts
  WITH (KAFKA_TOPIC='cart-route-high-value-carts', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON') AS
SELECT * FROM cart_events_enriched
WHERE `enrichment`->`cart`->`valueEur` >= 250 AND `type` <> 'order.completed'
EMIT CHANGES;
