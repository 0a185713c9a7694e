package dev.eventpipeline.udfs.ksql;

import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.enrich.StoreContext;
import dev.eventpipeline.udfs.enrich.StoreContextFunction;
import dev.eventpipeline.udfs.lookup.GuardedSource;
import dev.eventpipeline.udfs.lookup.Lookups;
import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import io.confluent.ksql.function.udf.UdfParameter;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.data.Struct;

import java.util.Map;

@UdfDescription(name = StoreContextUdf.NAME, author = "event-pipeline", category = "ENRICHMENT",
        description = "The store's configuration from Redis hash store_config:{storeId} (timezone, businessHours "
                + "\"09:00-21:00\" or {\"mon\":\"09:00-18:00\",...}, settings JSON) evaluated at the event time: "
                + "localTime (ISO offset date-time in the store's zone) and openNow (within business hours). "
                + "Null for a null/blank/unknown store and while Redis is unavailable. Config: "
                + "ksql.functions._global_.redis.url, ksql.functions.store_context.cache.ttl.ms (300000), "
                + "ksql.functions.store_context.cache.max.entries (10000).")
public class StoreContextUdf implements Configurable {
    public static final String NAME = "store_context";
    public static final String EXAMPLE = "STORE_CONTEXT('store-1', '2026-11-27T08:00:00Z') => {\"timezone\":\"Europe/Berlin\","
            + "\"localTime\":\"2026-11-27T09:00:00+01:00\",\"openNow\":true,\"businessHours\":\"08:00-20:00\",\"settings\":{\"currency\":\"EUR\"}}";

    private StoreContextFunction function;

    public StoreContextUdf() {
        configure(Map.of());
    }

    @Override
    public void configure(Map<String, ?> props) {
        FunctionConfig config = new FunctionConfig(props);
        GuardedSource source = Lookups.forConfig(config);
        function = new StoreContextFunction(source,
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.CACHE_TTL_MS), 300_000),
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.CACHE_MAX_ENTRIES), 10_000));
    }

    @Udf(description = "Store context at the event time, or null.", schema = Schemas.STORE_SQL)
    public Struct storeContext(
            @UdfParameter(value = "storeId", description = "the envelope's storeId") String storeId,
            @UdfParameter(value = "occurredAt", description = "the envelope's occurredAt (ISO-8601 UTC)") String occurredAt) {
        StoreContext c = function.apply(storeId, occurredAt);
        if (c == null) {
            return null;
        }
        return new Struct(Schemas.STORE)
                .put("timezone", c.timezone())
                .put("localTime", c.localTime())
                .put("openNow", c.openNow())
                .put("businessHours", c.businessHours())
                .put("settings", c.settings());
    }
}
