package dev.eventpipeline.udfs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * CART_FEATURES: the cart's item count and value after each event, kept per cart in memory
 * (bounded LRU; key {@code payload.cartId}, else the session id). Line events (item added/removed,
 * quantity changed) apply a delta to the known cart (a cart not seen before starts empty); snapshot
 * events (cart viewed, checkout started, order completed) replace it from {@code items}/{@code total};
 * cart cleared empties it; order completed closes it. Malformed payloads yield null and leave the
 * state alone. Amounts in another currency than the cart's are converted through EUR.
 */
public final class CartTracker {
    private static final class State {
        int itemCount;
        BigDecimal value = BigDecimal.ZERO;
        String currency;
    }

    private final BoundedLru<String, State> carts;
    private final FxRates rates;

    public CartTracker(long maxCarts, FxRates rates) {
        this.carts = new BoundedLru<>(maxCarts);
        this.rates = rates;
    }

    public CartFeatures next(String sessionId, String type, JsonNode payload) {
        if (type == null || payload == null || !payload.isObject()) {
            return null;
        }
        Optional<EventType> eventType = EventType.fromWireName(type);
        if (eventType.isEmpty()) {
            return null;
        }
        String cartId = Fields.text(payload.get("cartId"));
        String key = cartId != null ? "c:" + cartId : sessionId != null ? "s:" + sessionId : null;
        if (key == null) {
            return null;
        }
        synchronized (carts) {
            return switch (eventType.get()) {
                case ITEM_ADDED -> line(key, payload.get("quantity"), null, payload.get("unitPrice"), 1);
                case ITEM_REMOVED -> line(key, payload.get("quantity"), null, payload.get("unitPrice"), -1);
                case QUANTITY_CHANGED -> line(key, payload.get("quantity"), payload.get("previousQuantity"),
                        payload.get("unitPrice"), 1);
                case CART_VIEWED, CHECKOUT_STARTED -> snapshot(key, payload, false);
                case ORDER_COMPLETED -> snapshot(key, payload, true);
                case CART_CLEARED -> cleared(key);
            };
        }
    }

    private CartFeatures line(String key, JsonNode quantityNode, JsonNode previousNode, JsonNode unitPrice, int sign) {
        Integer quantity = Fields.quantity(quantityNode);
        if (quantity == null || unitPrice == null || !unitPrice.isObject()) {
            return null;
        }
        BigDecimal price = Fields.amount(unitPrice.get("amount"));
        String currency = Fields.text(unitPrice.get("currency"));
        if (price == null || price.signum() < 0 || currency == null) {
            return null;
        }
        int units;
        if (previousNode != null) {
            Integer previous = Fields.quantity(previousNode);
            if (previous == null) {
                return null;
            }
            units = quantity - previous;
        } else {
            units = sign * quantity;
        }
        State s = carts.computeIfAbsent(key, k -> new State());
        if (s.currency == null) {
            s.currency = currency;
        }
        BigDecimal delta = rates.convert(price.multiply(BigDecimal.valueOf(units)), currency, s.currency);
        if (delta == null) {
            return null;
        }
        BigDecimal before = s.value;
        s.itemCount = Math.max(0, s.itemCount + units);
        s.value = s.value.add(delta).max(BigDecimal.ZERO);
        return features(s, s.value.subtract(before));
    }

    private CartFeatures snapshot(String key, JsonNode payload, boolean closes) {
        JsonNode items = payload.get("items");
        JsonNode total = payload.get("total");
        int count = 0;
        BigDecimal sum = BigDecimal.ZERO;
        String currency = null;
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                return null;
            }
            for (JsonNode item : items) {
                Integer q = Fields.quantity(item.get("quantity"));
                if (q == null) {
                    return null;
                }
                count += q;
                JsonNode unitPrice = item.get("unitPrice");
                BigDecimal price = unitPrice == null ? null : Fields.amount(unitPrice.get("amount"));
                String itemCurrency = unitPrice == null ? null : Fields.text(unitPrice.get("currency"));
                if (price == null || itemCurrency == null) {
                    sum = null;
                    continue;
                }
                if (currency == null) {
                    currency = itemCurrency;
                }
                if (sum != null) {
                    BigDecimal line = rates.convert(price.multiply(BigDecimal.valueOf(q)), itemCurrency, currency);
                    sum = line == null ? null : sum.add(line);
                }
            }
        } else if (total == null || total.isNull()) {
            return null;
        }
        BigDecimal value = sum;
        if (total != null && total.isObject()) {
            BigDecimal amount = Fields.amount(total.get("amount"));
            String totalCurrency = Fields.text(total.get("currency"));
            if (amount != null && totalCurrency != null) {
                value = amount;
                currency = totalCurrency;
            }
        }
        if (value == null || currency == null) {
            return null;
        }
        State before = carts.get(key);
        BigDecimal change = before == null ? null
                : rates.convert(value, currency, before.currency) == null ? null
                : rates.convert(value, currency, before.currency).subtract(before.value);
        State s = new State();
        s.itemCount = items == null || items.isNull() ? (before == null ? 0 : before.itemCount) : count;
        s.value = value;
        s.currency = currency;
        if (closes) {
            carts.remove(key);
        } else {
            carts.put(key, s);
        }
        return features(s, change);
    }

    private CartFeatures cleared(String key) {
        State before = carts.get(key);
        State s = new State();
        s.currency = before == null ? null : before.currency;
        carts.put(key, s);
        return new CartFeatures(0, 0.0, before == null ? null : round(before.value.negate()), s.currency,
                s.currency == null ? null : 0.0);
    }

    private CartFeatures features(State s, BigDecimal change) {
        return new CartFeatures(s.itemCount, round(s.value), round(change), s.currency, round(rates.toEur(s.value, s.currency)));
    }

    static Double round(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    public int size() {
        synchronized (carts) {
            return carts.size();
        }
    }
}
