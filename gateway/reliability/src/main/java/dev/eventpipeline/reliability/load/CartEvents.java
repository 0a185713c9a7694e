package dev.eventpipeline.reliability.load;

/**
 * Schema-valid cart events (the registry's current {@code cart.item_added} v3, as in
 * {@code examples/item-added.json}) with unique ids: the suite's accounting needs events that go all the
 * way to {@code events_raw}, not to the dead-letter queue. ~330 bytes each.
 */
public final class CartEvents {
    private CartEvents() {
    }

    public static String id(String run, String sender, long seq) {
        return run + "-" + sender + "-" + seq;
    }

    /** The run prefix of an id built by {@link #id}: {@code event_id LIKE '<run>-%'} selects one run. */
    public static String runOf(String eventId) {
        return eventId.substring(0, eventId.indexOf('-'));
    }

    public static void append(StringBuilder out, String eventId, long seq) {
        out.append("{\"eventId\":\"").append(eventId)
                .append("\",\"type\":\"cart.item_added\",\"schemaVersion\":3,\"occurredAt\":\"2026-11-27T08:00:00.000Z\"")
                .append(",\"userId\":\"user-").append(seq % 5000)
                .append("\",\"sessionId\":\"session-").append(seq % 512)
                .append("\",\"storeId\":\"store-eu-").append(seq % 20)
                .append("\",\"payload\":{\"productId\":\"product-").append(seq % 900)
                .append("\",\"sku\":\"SKU-").append(100000 + seq % 90000)
                .append("\",\"category\":\"apparel\",\"quantity\":").append(1 + seq % 5)
                .append(",\"unitPrice\":19.99,\"currency\":\"EUR\",\"source\":\"web\",\"discount\":0}}");
    }

    public static String one(String eventId, long seq) {
        StringBuilder b = new StringBuilder(360);
        append(b, eventId, seq);
        return b.toString();
    }
}
