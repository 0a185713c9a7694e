package dev.eventpipeline.contract;

/** Kafka topic names of the data contract (DESIGN.md, "Data contract"); defined here once. */
public final class Topics {
    /** Every accepted event as the source connector produced it, before any transform. */
    public static final String RAW = "cart-events-raw";
    /** Schema-valid, first-seen events. */
    public static final String VALIDATED = "cart-events-validated";
    /** Validated events enriched with user, store, session and cart features. */
    public static final String ENRICHED = "cart-events-enriched";
    /** Invalid events and processing failures: original bytes plus error headers. */
    public static final String DLQ = "cart-events-dlq";
    /** Route (ksql/migrations/V000002): checkout.started and order.completed, for the checkout funnel. */
    public static final String ROUTE_CHECKOUT_FUNNEL = "cart-route-checkout-funnel";
    /** Route (ksql/migrations/V000002): cart.cleared, or an item removal that empties the cart. */
    public static final String ROUTE_ABANDONMENT_SIGNALS = "cart-route-abandonment-signals";
    /** Route (ksql/migrations/V000002): open carts worth at least 250 EUR. */
    public static final String ROUTE_HIGH_VALUE_CARTS = "cart-route-high-value-carts";
    /**
     * Route (ksql/migrations/V000004): every enriched event with a storeId, keyed (so partitioned) by
     * storeId: one store's events in order on one partition, for per-store consumers and aggregations.
     */
    public static final String ROUTE_BY_STORE = "cart-route-by-store";
    /** Profile update (ksql/migrations/V000003): key userId, value {"lastSeen"}; Redis sink → user_profile:{userId}. */
    public static final String USER_PROFILE_LAST_SEEN = "user-profile-last-seen";
    /** Profile update (ksql/migrations/V000003, a table): key userId, value {"purchaseCount","lastPurchaseAt"}. */
    public static final String USER_PROFILE_PURCHASES = "user-profile-purchases";
    /**
     * Profile update (ksql/migrations/V000005, a table): key userId, value {"purchaseHistory":
     * [{"orderId","total","currency"}]}, the order totals behind USER_PROFILE's lifetimeValue and segment.
     */
    public static final String USER_PROFILE_PURCHASE_HISTORY = "user-profile-purchase-history";

    /** Every topic the enrichment queries write besides {@link #ENRICHED}, in migration order. */
    public static final java.util.List<String> ENRICHMENT_OUTPUTS = java.util.List.of(
            ROUTE_CHECKOUT_FUNNEL, ROUTE_ABANDONMENT_SIGNALS, ROUTE_HIGH_VALUE_CARTS,
            USER_PROFILE_LAST_SEEN, USER_PROFILE_PURCHASES, ROUTE_BY_STORE, USER_PROFILE_PURCHASE_HISTORY);

    /**
     * Alert transitions from the gateway's alert rules: key = alert id ({@code rule:subject}), value =
     * JSON {@code {id, rule, subject, severity, state: FIRING|RESOLVED, message, firingSince, resolvedAt}}.
     */
    public static final String ALERTS = "pipeline-alerts";

    /** Compacted topic holding the schema registry. */
    public static final String SCHEMAS = "_event-pipeline-schemas";

    private Topics() {
    }
}
