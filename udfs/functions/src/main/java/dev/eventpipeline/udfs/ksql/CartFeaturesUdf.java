package dev.eventpipeline.udfs.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.enrich.CartFeatures;
import dev.eventpipeline.udfs.enrich.CartTracker;
import dev.eventpipeline.udfs.enrich.FxRates;
import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import io.confluent.ksql.function.udf.UdfParameter;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.data.Struct;

import java.io.IOException;
import java.util.Map;

@UdfDescription(name = CartFeaturesUdf.NAME, author = "event-pipeline", category = "ENRICHMENT",
        description = "Cart item count, value, value change, currency and value in EUR after the event, from the "
                + "latest registry schema of each event type. Stateful per session (the session is the cart: line "
                + "events carry no cartId), in memory (bounded LRU). cart.item_added adds quantity x (unitPrice - "
                + "discount); cart.item_removed removes at the remembered line price (value null when unknown); "
                + "cart.quantity_changed applies newQuantity - previousQuantity; cart.viewed (itemCount, cartValue "
                + "or items), checkout.started (itemCount, subtotal) and order.completed (items, subtotal) replace "
                + "the cart; cart.cleared empties it. Null for unknown types and malformed payloads. Config: "
                + "ksql.functions.cart_features.fx.rates (\"EUR:1,USD:0.92,...\", one unit in EUR), "
                + "ksql.functions.cart_features.max.carts (200000).")
public class CartFeaturesUdf implements Configurable {
    public static final String NAME = "cart_features";
    public static final String EXAMPLE = "CART_FEATURES('s-7', 'cart.item_added', "
            + "'{\"productId\":\"p-1\",\"quantity\":2,\"unitPrice\":19.99,\"currency\":\"USD\",\"discount\":0}') "
            + "=> {\"itemCount\":2,\"value\":39.98,\"valueChange\":39.98,\"currency\":\"USD\",\"valueEur\":36.78}";

    private CartTracker tracker;

    public CartFeaturesUdf() {
        configure(Map.of());
    }

    @Override
    public void configure(Map<String, ?> props) {
        FunctionConfig config = new FunctionConfig(props);
        tracker = new CartTracker(
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.MAX_CARTS), 200_000),
                FxRates.parse(config.string(FunctionConfig.key(NAME, FunctionConfig.FX_RATES), FxRates.DEFAULT)));
    }

    @Udf(description = "Cart features after the event, or null.", schema = Schemas.CART_SQL)
    public Struct cartFeatures(
            @UdfParameter(value = "sessionId", description = "the envelope's sessionId") String sessionId,
            @UdfParameter(value = "type", description = "the envelope's type, e.g. cart.item_added") String type,
            @UdfParameter(value = "payloadJson", description = "the payload as JSON text: TO_JSON_STRING(`payload`)")
            String payloadJson) {
        if (payloadJson == null) {
            return null;
        }
        JsonNode payload;
        try {
            payload = JsonMapper.get().readTree(payloadJson);
        } catch (IOException e) {
            return null;
        }
        return cartFeatures(sessionId, type, payload);
    }

    /** The same function on an already parsed payload (the embedded runtime; not a ksqlDB signature). */
    public Struct cartFeatures(String sessionId, String type, JsonNode payload) {
        CartFeatures f = tracker.next(sessionId, type, payload);
        if (f == null) {
            return null;
        }
        return new Struct(Schemas.CART)
                .put("itemCount", f.itemCount())
                .put("value", f.value())
                .put("valueChange", f.valueChange())
                .put("currency", f.currency())
                .put("valueEur", f.valueEur());
    }
}
