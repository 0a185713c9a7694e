package dev.eventpipeline.loadgen;

/** Builds ~300-byte cart events with unique ids {@code <run>-<conn>-<seq>}, valid under the shipped schemas. */
public final class Events {
    private Events() {
    }

    public static String id(String run, int conn, long seq) {
        return run + "-" + conn + "-" + seq;
    }

    /** Parses the sequence number out of an id built by {@link #id}; -1 when it does not match. */
    public static long seqOf(String eventId) {
        int dash = eventId.lastIndexOf('-');
        if (dash < 0) {
            return -1;
        }
        try {
            return Long.parseLong(eventId, dash + 1, eventId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A {@code cart.item_added} event valid under the shipped schema's latest version (v3), so that through
     * the full pipeline (validation, de-duplication, enrichment, sink) load is accepted, not dead-lettered.
     */
    public static void append(StringBuilder out, String run, int conn, long seq) {
        out.append("{\"eventId\":\"").append(run).append('-').append(conn).append('-').append(seq)
                .append("\",\"type\":\"cart.item_added\",\"schemaVersion\":3,\"occurredAt\":\"2026-11-27T08:00:00.000Z\",\"userId\":\"user-")
                .append(seq % 5000).append("\",\"sessionId\":\"session-").append(conn).append('-').append(seq % 64)
                .append("\",\"storeId\":\"store-eu-").append(seq % 20)
                .append("\",\"payload\":{\"productId\":\"product-").append(seq % 900)
                .append("\",\"sku\":\"SKU-").append(100000 + seq % 90000)
                .append("\",\"category\":\"apparel\",\"quantity\":").append(1 + seq % 5)
                .append(",\"unitPrice\":19.99,\"currency\":\"EUR\",\"source\":\"web\",\"discount\":0}}");
    }

    public static String one(String run, int conn, long seq) {
        StringBuilder b = new StringBuilder(320);
        append(b, run, conn, seq);
        return b.toString();
    }
}
