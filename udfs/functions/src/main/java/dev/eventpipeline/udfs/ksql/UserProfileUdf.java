package dev.eventpipeline.udfs.ksql;

import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.enrich.CustomerValue;
import dev.eventpipeline.udfs.enrich.FxRates;
import dev.eventpipeline.udfs.enrich.SegmentRule;
import dev.eventpipeline.udfs.enrich.UserProfile;
import dev.eventpipeline.udfs.enrich.UserProfileFunction;
import dev.eventpipeline.udfs.lookup.GuardedSource;
import dev.eventpipeline.udfs.lookup.Lookups;
import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import io.confluent.ksql.function.udf.UdfParameter;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.data.Struct;

import java.math.BigDecimal;
import java.util.Map;

@UdfDescription(name = UserProfileUdf.NAME, author = "event-pipeline", category = "ENRICHMENT",
        description = "The user's profile from Redis hash user_profile:{userId} (lastSeen, purchaseCount, "
                + "lastPurchaseAt, preferences), through a bounded TTL cache, with two fields derived from its "
                + "purchaseHistory (the pipeline's [{orderId, total, currency}] of completed orders): lifetimeValue, "
                + "the sum of the order totals in EUR (same static rates as CART_FEATURES), and segment: new (no "
                + "purchase), vip (lifetime value >= the VIP value), repeat (>= the repeat purchase count), else "
                + "occasional. Both null when the history is malformed (an entry without a numeric total or with an "
                + "unknown currency) or records fewer orders than purchaseCount. Null for a null/blank/unknown user "
                + "and while Redis is unavailable (then PROCESSING_META().redisDegraded is true). "
                + "Config: ksql.functions._global_.redis.url, ksql.functions.user_profile.cache.ttl.ms (60000), "
                + "ksql.functions.user_profile.cache.max.entries (100000), ksql.functions.user_profile.fx.rates "
                + "(as cart_features.fx.rates; keep both equal), "
                + "ksql.functions.user_profile.segment.repeat.min.purchases (3), "
                + "ksql.functions.user_profile.segment.vip.min.lifetime.value (1000, EUR).")
public class UserProfileUdf implements Configurable {
    public static final String NAME = "user_profile";
    public static final String EXAMPLE = "USER_PROFILE('u-42') => {\"lastSeen\":\"2026-11-26T18:00:00Z\",\"purchaseCount\":3,"
            + "\"lastPurchaseAt\":\"2026-11-20T10:00:00Z\",\"preferences\":{\"newsletter\":\"true\"},"
            + "\"lifetimeValue\":412.5,\"segment\":\"repeat\"}";

    private UserProfileFunction function;

    public UserProfileUdf() {
        configure(Map.of());
    }

    @Override
    public void configure(Map<String, ?> props) {
        FunctionConfig config = new FunctionConfig(props);
        GuardedSource source = Lookups.forConfig(config);
        function = new UserProfileFunction(source,
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.CACHE_TTL_MS), 60_000),
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.CACHE_MAX_ENTRIES), 100_000),
                new CustomerValue(
                        FxRates.parse(config.string(FunctionConfig.key(NAME, FunctionConfig.FX_RATES), FxRates.DEFAULT)),
                        new SegmentRule(
                                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.SEGMENT_REPEAT_MIN_PURCHASES),
                                        SegmentRule.DEFAULT_REPEAT_MIN_PURCHASES),
                                BigDecimal.valueOf(config.positiveLong(
                                        FunctionConfig.key(NAME, FunctionConfig.SEGMENT_VIP_MIN_LIFETIME_VALUE),
                                        SegmentRule.DEFAULT_VIP_MIN_VALUE_EUR)))));
    }

    @Udf(description = "Profile of the user, or null.", schema = Schemas.USER_SQL)
    public Struct userProfile(@UdfParameter(value = "userId", description = "the envelope's userId") String userId) {
        UserProfile p = function.apply(userId);
        if (p == null) {
            return null;
        }
        return new Struct(Schemas.USER)
                .put("lastSeen", p.lastSeen())
                .put("purchaseCount", p.purchaseCount())
                .put("lastPurchaseAt", p.lastPurchaseAt())
                .put("preferences", p.preferences())
                .put("lifetimeValue", p.lifetimeValue())
                .put("segment", p.segment());
    }
}
