package dev.eventpipeline.contract;

import java.util.Arrays;
import java.util.Optional;

/** The cart event types of the contract; {@link #wireName()} is the value of the envelope's {@code type}. */
public enum EventType {
    ITEM_ADDED("cart.item_added"),
    ITEM_REMOVED("cart.item_removed"),
    QUANTITY_CHANGED("cart.quantity_changed"),
    CART_VIEWED("cart.viewed"),
    CART_CLEARED("cart.cleared"),
    CHECKOUT_STARTED("checkout.started"),
    ORDER_COMPLETED("order.completed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
