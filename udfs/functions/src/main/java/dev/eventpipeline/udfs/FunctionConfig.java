package dev.eventpipeline.udfs;

import java.util.Map;

/**
 * The configuration keys of the functions, in ksqlDB's naming: {@code ksql.functions.<name>.*} for one
 * function, {@code ksql.functions._global_.*} for all of them. ksqlDB hands these to
 * {@code Configurable.configure}; the embedded runtime builds the same map from its own settings.
 */
public final class FunctionConfig {
    public static final String PREFIX = "ksql.functions.";
    public static final String GLOBAL = PREFIX + "_global_.";

    /** Redis URL ({@code redis://host:port[/db]}); unset means no lookups (user/store are null, not degraded). */
    public static final String REDIS_URL = GLOBAL + "redis.url";
    /** Connect and read timeout of one Redis call. */
    public static final String REDIS_TIMEOUT_MS = GLOBAL + "redis.timeout.ms";
    /** After a failed Redis call, lookups answer "degraded" without calling Redis for this long. */
    public static final String REDIS_RETRY_BACKOFF_MS = GLOBAL + "redis.retry.backoff.ms";

    public static final String CACHE_TTL_MS = "cache.ttl.ms";
    public static final String CACHE_MAX_ENTRIES = "cache.max.entries";
    public static final String IDLE_TIMEOUT_MS = "idle.timeout.ms";
    public static final String MAX_SESSIONS = "max.sessions";
    public static final String MAX_CARTS = "max.carts";
    public static final String FX_RATES = "fx.rates";
    public static final String SEGMENT_REPEAT_MIN_PURCHASES = "segment.repeat.min.purchases";
    public static final String SEGMENT_VIP_MIN_LIFETIME_VALUE = "segment.vip.min.lifetime.value";
    public static final String CLOCK = "clock";
    public static final String VERSION = "version";

    private final Map<String, ?> props;

    public FunctionConfig(Map<String, ?> props) {
        this.props = props == null ? Map.of() : props;
    }

    /** Full key of a per-function setting, e.g. {@code key("user_profile", CACHE_TTL_MS)}. */
    public static String key(String function, String setting) {
        return PREFIX + function + "." + setting;
    }

    /**
     * The value from the map ksqlDB passed, else the JVM system property of the same name (so a
     * tool that passes no function config, such as ksql-test-runner, can be configured with
     * {@code KSQL_OPTS=-Dksql.functions...}), else {@code fallback}.
     */
    public String string(String key, String fallback) {
        Object value = props.get(key);
        if (value == null) {
            value = System.getProperty(key);
        }
        if (value == null) {
            return fallback;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? fallback : text;
    }

    /** A positive number; absent or malformed values fall back (a typo must not fail every query). */
    public long positiveLong(String key, long fallback) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            return value > 0 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public Map<String, ?> asMap() {
        return props;
    }
}
