package dev.eventpipeline.udfs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CART_FEATURES: the cart's item count and value after each event, kept per session in memory
 * (bounded LRU). The session is the cart: the line events of the shipped schemas (item added/removed,
 * quantity changed) carry no cartId, and records are keyed by sessionId, so one session's events
 * arrive in order here.
 *
 * <p>Payloads are the latest version of each event type in the schema registry
 * ({@code smt/registry/.../shipped/}; ValidateEvent upgrades every event to it):
 * <ul>
 *   <li>{@code cart.item_added}: {@code quantity} × ({@code unitPrice} − {@code discount}) in
 *       {@code currency} is added; the line's price is remembered per {@code productId}.</li>
 *   <li>{@code cart.item_removed} carries no price: the remembered line price is used; when the line
 *       is unknown (added before a restart) the value becomes unknown (null) until the next snapshot.</li>
 *   <li>{@code cart.quantity_changed}: ({@code newQuantity} − {@code previousQuantity}) units at the
 *       payload's {@code unitPrice}, else the remembered line price.</li>
 *   <li>snapshots replace the cart: {@code cart.viewed} ({@code itemCount}, {@code cartValue}, else the
 *       sum of {@code items}), {@code checkout.started} ({@code itemCount}, {@code subtotal}),
 *       {@code order.completed} (units of {@code items}, {@code subtotal}; closes the cart).</li>
 *   <li>{@code cart.cleared} empties the cart.</li>
 * </ul>
 * A cart emptied by any event has value 0. Malformed payloads (a required field missing or not a
 * number) yield null and leave the state alone. Amounts in another currency than the cart's are
 * converted through EUR.
 */
public final class CartTracker {
    /** A cart line: units and the effective unit price (after discount) with its currency, when known. */
    private record Line(int quantity, BigDecimal price, String currency) {
    }

    private static final class State {
        long itemCount;
        /** Null while unknown (a removal of a line whose price was never seen). */
        BigDecimal value = BigDecimal.ZERO;
        String currency;
        final Map<String, Line> lines = new HashMap<>();
    }

    private final BoundedLru<String, State> carts;
    private final FxRates rates;

    public CartTracker(long maxCarts, FxRates rates) {
        this.carts = new BoundedLru<>(maxCarts);
        this.rates = rates;
    }

    public CartFeatures next(String sessionId, String type, JsonNode payload) {
        if (type == null || payload == null || !payload.isObject() || sessionId == null) {
            return null;
        }
        Optional<EventType> eventType = EventType.fromWireName(type);
        if (eventType.isEmpty()) {
            return null;
        }
        String key = sessionId;
        synchronized (carts) {
            return switch (eventType.get()) {
                case ITEM_ADDED -> added(key, payload);
                case ITEM_REMOVED -> removed(key, payload);
                case QUANTITY_CHANGED -> quantityChanged(key, payload);
                case CART_VIEWED -> viewed(key, payload);
                case CHECKOUT_STARTED -> checkoutStarted(key, payload);
                case ORDER_COMPLETED -> orderCompleted(key, payload);
                case CART_CLEARED -> cleared(key, payload);
            };
        }
    }

    private CartFeatures added(String key, JsonNode p) {
        Integer quantity = Fields.quantity(p.get("quantity"));
        BigDecimal unitPrice = Fields.amount(p.get("unitPrice"));
        String currency = Fields.text(p.get("currency"));
        BigDecimal discount = p.hasNonNull("discount") ? Fields.amount(p.get("discount")) : BigDecimal.ZERO;
        if (quantity == null || unitPrice == null || unitPrice.signum() < 0 || currency == null || discount == null) {
            return null;
        }
        BigDecimal price = unitPrice.subtract(discount).max(BigDecimal.ZERO);
        State s = carts.computeIfAbsent(key, k -> new State());
        if (s.currency == null) {
            s.currency = currency;
        }
        BigDecimal delta = rates.convert(price.multiply(BigDecimal.valueOf(quantity)), currency, s.currency);
        if (delta == null) {
            return null;
        }
        String productId = Fields.text(p.get("productId"));
        if (productId != null) {
            Line line = s.lines.get(productId);
            s.lines.put(productId, new Line((line == null ? 0 : line.quantity()) + quantity, price, currency));
        }
        return apply(s, quantity, delta);
    }

    private CartFeatures removed(String key, JsonNode p) {
        Integer quantity = Fields.quantity(p.get("quantity"));
        if (quantity == null) {
            return null;
        }
        State s = carts.computeIfAbsent(key, k -> new State());
        String productId = Fields.text(p.get("productId"));
        Line line = productId == null ? null : s.lines.get(productId);
        BigDecimal delta = null;
        if (line != null && line.price() != null) {
            int units = Math.min(quantity, line.quantity());
            delta = negate(rates.convert(line.price().multiply(BigDecimal.valueOf(units)), line.currency(), s.currency));
        }
        if (line != null) {
            int left = line.quantity() - quantity;
            if (left > 0) {
                s.lines.put(productId, new Line(left, line.price(), line.currency()));
            } else {
                s.lines.remove(productId);
            }
        }
        return apply(s, -quantity, delta);
    }

    private CartFeatures quantityChanged(String key, JsonNode p) {
        Integer previous = Fields.quantity(p.get("previousQuantity"));
        Integer now = Fields.quantity(p.get("newQuantity"));
        if (previous == null || now == null) {
            return null;
        }
        BigDecimal payloadPrice = null;
        if (p.hasNonNull("unitPrice")) {
            payloadPrice = Fields.amount(p.get("unitPrice"));
            if (payloadPrice == null || payloadPrice.signum() < 0) {
                return null;
            }
        }
        State s = carts.computeIfAbsent(key, k -> new State());
        String productId = Fields.text(p.get("productId"));
        Line line = productId == null ? null : s.lines.get(productId);
        BigDecimal price = payloadPrice;
        String currency = payloadPrice != null ? firstNonNull(Fields.text(p.get("currency")), s.currency) : null;
        if (price == null && line != null) {
            price = line.price();
            currency = line.currency();
        }
        if (s.currency == null) {
            s.currency = currency;
        }
        int units = now - previous;
        BigDecimal delta = price == null ? null : rates.convert(price.multiply(BigDecimal.valueOf(units)), currency, s.currency);
        if (productId != null) {
            if (now > 0) {
                s.lines.put(productId, new Line(now, price, currency));
            } else {
                s.lines.remove(productId);
            }
        }
        return apply(s, units, delta);
    }

    private CartFeatures viewed(String key, JsonNode p) {
        Long itemCount = Fields.count(p.get("itemCount"));
        if (itemCount == null) {
            return null;
        }
        State before = carts.get(key);
        String currency = firstNonNull(Fields.text(p.get("currency")), before == null ? null : before.currency);
        Map<String, Line> lines = null;
        BigDecimal sum = null;
        JsonNode items = p.get("items");
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                return null;
            }
            lines = new HashMap<>();
            sum = BigDecimal.ZERO;
            for (JsonNode item : items) {
                Integer q = Fields.quantity(item.get("quantity"));
                if (q == null) {
                    return null;
                }
                BigDecimal price = item.hasNonNull("unitPrice") ? Fields.amount(item.get("unitPrice")) : null;
                sum = price == null || sum == null ? null : sum.add(price.multiply(BigDecimal.valueOf(q)));
                String productId = Fields.text(item.get("productId"));
                if (productId != null) {
                    lines.put(productId, new Line(q, price, currency));
                }
            }
        }
        BigDecimal value;
        if (p.hasNonNull("cartValue")) {
            value = Fields.amount(p.get("cartValue"));
            if (value == null) {
                return null;
            }
        } else {
            value = sum != null && currency != null ? sum : null;
        }
        return replace(key, before, itemCount, value, currency, lines, false);
    }

    private CartFeatures checkoutStarted(String key, JsonNode p) {
        Long itemCount = Fields.count(p.get("itemCount"));
        BigDecimal subtotal = Fields.amount(p.get("subtotal"));
        String currency = Fields.text(p.get("currency"));
        if (itemCount == null || subtotal == null || currency == null) {
            return null;
        }
        return replace(key, carts.get(key), itemCount, subtotal, currency, null, false);
    }

    private CartFeatures orderCompleted(String key, JsonNode p) {
        JsonNode items = p.get("items");
        BigDecimal subtotal = Fields.amount(p.get("subtotal"));
        String currency = Fields.text(p.get("currency"));
        if (items == null || !items.isArray() || subtotal == null || currency == null) {
            return null;
        }
        long units = 0;
        for (JsonNode item : items) {
            Integer q = Fields.quantity(item.get("quantity"));
            if (q == null) {
                return null;
            }
            units += q;
        }
        return replace(key, carts.get(key), units, subtotal, currency, null, true);
    }

    private CartFeatures cleared(String key, JsonNode p) {
        State before = carts.get(key);
        String currency = firstNonNull(before == null ? null : before.currency, Fields.text(p.get("currency")));
        BigDecimal change = null;
        if (before != null && before.value != null) {
            change = before.value.negate();
        } else if (p.hasNonNull("cartValue") && Fields.amount(p.get("cartValue")) != null) {
            change = negate(rates.convert(Fields.amount(p.get("cartValue")), Fields.text(p.get("currency")), currency));
        }
        State s = new State();
        s.currency = currency;
        carts.put(key, s);
        return features(s, change);
    }

    /** Applies a line event: {@code units} more (or fewer) items, {@code delta} in the cart's currency (null: unknown). */
    private CartFeatures apply(State s, long units, BigDecimal delta) {
        BigDecimal before = s.value;
        s.itemCount = Math.max(0, s.itemCount + units);
        if (s.itemCount == 0) {
            s.value = BigDecimal.ZERO;
            s.lines.clear();
        } else {
            s.value = s.value == null || delta == null ? null : s.value.add(delta).max(BigDecimal.ZERO);
        }
        BigDecimal change = before == null || s.value == null ? delta : s.value.subtract(before);
        return features(s, change);
    }

    /** Applies a snapshot; the change is relative to the cart before, null when that is unknown. */
    private CartFeatures replace(String key, State before, long itemCount, BigDecimal value, String currency,
                                 Map<String, Line> lines, boolean closes) {
        if (itemCount == 0 && value == null) {
            value = BigDecimal.ZERO;
        }
        BigDecimal change = null;
        if (before != null && before.value != null && value != null) {
            BigDecimal converted = rates.convert(value, currency, before.currency);
            change = converted == null ? null : converted.subtract(before.value);
        }
        State s = new State();
        s.itemCount = itemCount;
        s.value = value;
        s.currency = currency;
        if (lines != null) {
            s.lines.putAll(lines);
        } else if (before != null) {
            s.lines.putAll(before.lines);
        }
        if (closes) {
            carts.remove(key);
        } else {
            carts.put(key, s);
        }
        return features(s, change);
    }

    private CartFeatures features(State s, BigDecimal change) {
        return new CartFeatures((int) Math.min(Integer.MAX_VALUE, s.itemCount), round(s.value), round(change), s.currency,
                round(rates.toEur(s.value, s.currency)));
    }

    private static BigDecimal negate(BigDecimal amount) {
        return amount == null ? null : amount.negate();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
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
