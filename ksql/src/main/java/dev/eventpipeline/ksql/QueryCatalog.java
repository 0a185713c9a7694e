package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventType;
import dev.eventpipeline.contract.Topics;

import java.util.List;
import java.util.function.Predicate;

/**
 * Every query of {@code ksql/migrations}, as the embedded twin runs it. A change to a migration
 * needs the matching change here (and in {@link EnrichmentTopology} for new logic); the check
 * test names the difference. Route topics come from {@link Topics}, defined once.
 */
public final class QueryCatalog {
    private QueryCatalog() {
    }

    public static final String VALIDATED_STREAM = "cart_events_validated";
    public static final String ENRICHED_STREAM = "cart_events_enriched";

    /** Our UDFs (ksqlDB names, upper case) and the ksqlDB built-ins the twin implements. */
    public static final List<String> UDFS = List.of("USER_PROFILE", "STORE_CONTEXT", "SESSION_CONTEXT",
            "CART_FEATURES", "PROCESSING_META");
    public static final List<String> BUILT_INS = List.of("STRUCT", "TO_JSON_STRING", "COUNT", "LATEST_BY_OFFSET",
            "AS_VALUE", "COLLECT_LIST");

    /** A route: a filter over the enriched stream into its own topic. */
    public record Route(String name, String topic, String where, Predicate<JsonNode> predicate) {
        QueryDef query() {
            return new QueryDef(name, "STREAM", topic, ENRICHED_STREAM, "*", where, null, List.of());
        }
    }

    /** Threshold of the high-value route, in EUR. */
    public static final double HIGH_VALUE_EUR = 250;

    public static final List<Route> ROUTES = List.of(
            new Route("cart_route_checkout_funnel", Topics.ROUTE_CHECKOUT_FUNNEL,
                    "`type` IN ('checkout.started', 'order.completed')",
                    e -> typeIs(e, EventType.CHECKOUT_STARTED) || typeIs(e, EventType.ORDER_COMPLETED)),
            new Route("cart_route_abandonment_signals", Topics.ROUTE_ABANDONMENT_SIGNALS,
                    "`type` = 'cart.cleared' OR (`type` = 'cart.item_removed' AND `enrichment`->`cart`->`itemCount` = 0)",
                    e -> typeIs(e, EventType.CART_CLEARED)
                            || (typeIs(e, EventType.ITEM_REMOVED) && cart(e, "itemCount").isNumber()
                            && cart(e, "itemCount").intValue() == 0)),
            new Route("cart_route_high_value_carts", Topics.ROUTE_HIGH_VALUE_CARTS,
                    "`enrichment`->`cart`->`valueEur` >= 250 AND `type` <> 'order.completed'",
                    e -> cart(e, "valueEur").isNumber() && cart(e, "valueEur").doubleValue() >= HIGH_VALUE_EUR
                            && e.path("type").isTextual() && !typeIs(e, EventType.ORDER_COMPLETED)));

    /** V000004: the enriched stream re-keyed by storeId (value unchanged). */
    public static final String BY_STORE = "cart_route_by_store";
    public static final String BY_STORE_SELECT = "`storeId` AS `storeKey`, `eventId`, `type`, `schemaVersion`, `occurredAt`, "
            + "`userId`, `sessionId`, AS_VALUE(`storeId`) AS `storeId`, `payload`, `enrichment`";
    public static final String BY_STORE_WHERE = "`storeId` IS NOT NULL";
    public static final String BY_STORE_KEY = "`storeId`";

    static boolean hasStore(JsonNode e) {
        return e.hasNonNull("storeId");
    }

    public static final String LAST_SEEN_WHERE = "`userId` IS NOT NULL";
    public static final String PURCHASES_WHERE = "`type` = 'order.completed' AND `userId` IS NOT NULL";

    /** V000005: the orders of a user, as ksqlDB's COLLECT_LIST keeps them (the first ksql.functions.collect_list.limit). */
    public static final String PURCHASE_HISTORY = "user_profile_purchase_history";
    public static final String PURCHASE_HISTORY_SELECT = "`userId`, COLLECT_LIST(STRUCT(`orderId` := `payload`->`orderId`, "
            + "`total` := `payload`->`total`, `currency` := `payload`->`currency`)) AS `purchaseHistory`";
    /** ksqlDB's default ksql.functions.collect_list.limit: later orders are not added. */
    public static final int COLLECT_LIST_LIMIT = 1000;

    public static List<QueryDef> queries() {
        java.util.ArrayList<QueryDef> all = new java.util.ArrayList<>();
        all.add(new QueryDef(VALIDATED_STREAM, "STREAM", Topics.VALIDATED, null, null, null, null, List.of()));
        all.add(new QueryDef(ENRICHED_STREAM, "STREAM", Topics.ENRICHED, VALIDATED_STREAM,
                "`sessionKey`, `eventId`, `type`, `schemaVersion`, `occurredAt`, `userId`, `sessionId`, `storeId`, `payload`, "
                        + "STRUCT( `user` := USER_PROFILE(`userId`), `store` := STORE_CONTEXT(`storeId`, `occurredAt`), "
                        + "`session` := SESSION_CONTEXT(`sessionId`, `occurredAt`), "
                        + "`cart` := CART_FEATURES(`sessionId`, `type`, TO_JSON_STRING(`payload`)), "
                        + "`meta` := PROCESSING_META() ) AS `enrichment`",
                null, null, List.of("STRUCT", "USER_PROFILE", "STORE_CONTEXT", "SESSION_CONTEXT", "CART_FEATURES",
                "TO_JSON_STRING", "PROCESSING_META")));
        ROUTES.forEach(r -> all.add(r.query()));
        all.add(new QueryDef("user_profile_last_seen", "STREAM", Topics.USER_PROFILE_LAST_SEEN, VALIDATED_STREAM,
                "`userId`, `occurredAt` AS `lastSeen`", LAST_SEEN_WHERE, "`userId`", List.of()));
        all.add(new QueryDef("user_profile_purchases", "TABLE", Topics.USER_PROFILE_PURCHASES, ENRICHED_STREAM,
                "`userId`, COUNT(*) AS `purchaseCount`, LATEST_BY_OFFSET(`occurredAt`) AS `lastPurchaseAt`",
                PURCHASES_WHERE, "`userId`", List.of("COUNT", "LATEST_BY_OFFSET")));
        all.add(new QueryDef(BY_STORE, "STREAM", Topics.ROUTE_BY_STORE, ENRICHED_STREAM, BY_STORE_SELECT, BY_STORE_WHERE,
                BY_STORE_KEY, List.of("AS_VALUE")));
        all.add(new QueryDef(PURCHASE_HISTORY, "TABLE", Topics.USER_PROFILE_PURCHASE_HISTORY, ENRICHED_STREAM,
                PURCHASE_HISTORY_SELECT, PURCHASES_WHERE, "`userId`", List.of("COLLECT_LIST", "STRUCT")));
        return List.copyOf(all);
    }

    static boolean typeIs(JsonNode e, EventType type) {
        return type.wireName().equals(e.path("type").asText(null));
    }

    static JsonNode cart(JsonNode e, String field) {
        return e.path("enrichment").path("cart").path(field);
    }
}
