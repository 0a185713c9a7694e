package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.udfs.ksql.CartFeaturesUdf;
import dev.eventpipeline.udfs.ksql.ProcessingMetaUdf;
import dev.eventpipeline.udfs.ksql.SessionContextUdf;
import dev.eventpipeline.udfs.ksql.StoreContextUdf;
import dev.eventpipeline.udfs.ksql.StructJson;
import dev.eventpipeline.udfs.ksql.UserProfileUdf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The select list of {@code cart_events_enriched} (V000001), evaluated with the ksqlDB UDF classes
 * themselves, configured from the same {@code ksql.functions.*} keys ksqlDB passes them. Arguments
 * are evaluated left to right as written in the statement. A function that throws yields null for
 * its field, as ksqlDB writes null and logs to its processing log; the failure is returned with the
 * row so the topology dead-letters it (nothing silent).
 */
public final class Enricher {
    private static final Logger log = LoggerFactory.getLogger(Enricher.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A function that threw while enriching a row: which one, and the exception. */
    public record FunctionFailure(String function, Class<?> udfClass, RuntimeException error) {
    }

    /** The row with its {@code enrichment} column, and the functions that failed (empty: none). */
    public record Enriched(ObjectNode row, List<FunctionFailure> failures) {
    }

    private final UserProfileUdf user = new UserProfileUdf();
    private final StoreContextUdf store = new StoreContextUdf();
    private final SessionContextUdf session = new SessionContextUdf();
    private final CartFeaturesUdf cart;
    private final ProcessingMetaUdf meta = new ProcessingMetaUdf();

    public Enricher(Map<String, ?> functionConfig) {
        this(functionConfig, new CartFeaturesUdf());
    }

    /** With a given CART_FEATURES instance (tests make it fail). */
    Enricher(Map<String, ?> functionConfig, CartFeaturesUdf cart) {
        this.cart = cart;
        user.configure(functionConfig);
        store.configure(functionConfig);
        session.configure(functionConfig);
        cart.configure(functionConfig);
        meta.configure(functionConfig);
    }

    /** Adds the {@code enrichment} column to an event read into the source columns ({@link SourceSchema#read}). */
    public Enriched enrich(ObjectNode row) {
        String userId = text(row, "userId");
        String storeId = text(row, "storeId");
        String sessionId = text(row, "sessionId");
        String occurredAt = text(row, "occurredAt");
        String type = text(row, "type");
        JsonNode payload = row.get("payload");

        List<FunctionFailure> failures = new ArrayList<>(0);
        ObjectNode enrichment = F.objectNode();
        enrichment.set("user", call("USER_PROFILE", user, failures, () -> StructJson.toJson(user.userProfile(userId))));
        enrichment.set("store", call("STORE_CONTEXT", store, failures, () -> StructJson.toJson(store.storeContext(storeId, occurredAt))));
        enrichment.set("session", call("SESSION_CONTEXT", session, failures,
                () -> StructJson.toJson(session.sessionContext(sessionId, occurredAt))));
        enrichment.set("cart", call("CART_FEATURES", cart, failures, () -> StructJson.toJson(
                payload == null || payload.isNull() ? null : cart.cartFeatures(sessionId, type, payload))));
        enrichment.set("meta", call("PROCESSING_META", meta, failures, () -> StructJson.toJson(meta.processingMeta())));

        row.set("enrichment", enrichment);
        return new Enriched(row, failures);
    }

    private static JsonNode call(String function, Object udf, List<FunctionFailure> failures, Supplier<JsonNode> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            log.warn("{} failed, field written as null and the record dead-lettered: {}", function, e.toString());
            failures.add(new FunctionFailure(function, udf.getClass(), e));
            return F.nullNode();
        }
    }

    private static String text(ObjectNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
