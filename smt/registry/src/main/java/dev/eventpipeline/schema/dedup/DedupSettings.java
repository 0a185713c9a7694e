package dev.eventpipeline.schema.dedup;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;

/**
 * The settings of a {@link DedupStore} and its marks: Redis address and timeout, the back-off after a
 * Redis failure, the two TTLs and the key field. Defined once here, with their defaults, for the two
 * places that read them from a connector's config: the DeduplicateEvent transform (its own keys) and
 * the event-source task's pre-mark hook (the same keys under {@code transforms.<alias>.}), so the two
 * cannot disagree on a default.
 */
public final class DedupSettings {
    public static final String REDIS_URL = "redis.url";
    public static final String REDIS_TIMEOUT_MS = "redis.timeout.ms";
    public static final int REDIS_TIMEOUT_MS_DEFAULT = 250;
    public static final String REDIS_RETRY_BACKOFF_MS = "redis.retry.backoff.ms";
    public static final long REDIS_RETRY_BACKOFF_MS_DEFAULT = 1_000L;
    public static final String TTL_MS = "dedup.ttl.ms";
    public static final long TTL_MS_DEFAULT = 3_600_000L;
    public static final String PENDING_TTL_MS = "dedup.pending.ttl.ms";
    public static final long PENDING_TTL_MS_DEFAULT = 120_000L;
    public static final String KEY_FIELD = "dedup.key.field";
    public static final String KEY_FIELD_DEFAULT = "eventId";

    /** Group names as DeduplicateEvent documents them. */
    public static final String GROUP_REDIS = "Redis";
    public static final String GROUP_DEDUP = "De-duplication";

    private DedupSettings() {
    }

    /**
     * Adds these keys to {@code def} (Redis group orders 1, 2, 4; de-duplication group orders 1–3: the
     * transform puts its own keys in the gaps).
     */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(REDIS_URL, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH, "Redis holding the marks: redis://[user:password@]host:port[/db].",
                        GROUP_REDIS, 1, ConfigDef.Width.LONG, "Redis URL")
                .define(REDIS_TIMEOUT_MS, ConfigDef.Type.INT, REDIS_TIMEOUT_MS_DEFAULT, ConfigDef.Range.between(10, 60_000),
                        ConfigDef.Importance.MEDIUM, "Connect and read timeout of one Redis call.",
                        GROUP_REDIS, 2, ConfigDef.Width.SHORT, "Redis timeout")
                .define(REDIS_RETRY_BACKOFF_MS, ConfigDef.Type.LONG, REDIS_RETRY_BACKOFF_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW, "After a Redis failure, events are handled by the failure mode without asking Redis for this long.",
                        GROUP_REDIS, 4, ConfigDef.Width.SHORT, "Retry backoff")
                .define(TTL_MS, ConfigDef.Type.LONG, TTL_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.HIGH, "De-duplication window: TTL of a confirmed mark event_dedup:{hash}.",
                        GROUP_DEDUP, 1, ConfigDef.Width.SHORT, "TTL")
                .define(PENDING_TTL_MS, ConfigDef.Type.LONG, PENDING_TTL_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.MEDIUM, "TTL of a pending mark (set before the write, replaced when confirmed). Pending marks never filter; keep it above the source's ack timeout.",
                        GROUP_DEDUP, 2, ConfigDef.Width.SHORT, "Pending TTL")
                .define(KEY_FIELD, ConfigDef.Type.STRING, KEY_FIELD_DEFAULT, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM, "Top-level field holding the idempotency key; events without it are keyed by the hash of their canonical JSON.",
                        GROUP_DEDUP, 3, ConfigDef.Width.SHORT, "Key field");
    }

    /**
     * These settings read from {@code originals} (other keys are ignored), validated and defaulted as
     * the transform does.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a value is missing or invalid
     */
    public static AbstractConfig parse(Map<String, ?> originals) {
        return new AbstractConfig(define(new ConfigDef()), originals, false);
    }

    /**
     * A store for these settings.
     *
     * @throws ConfigException when {@code redis.url} is not a {@code redis://} URL
     */
    public static DedupStore store(AbstractConfig c) {
        String url = c.getString(REDIS_URL);
        if (!url.startsWith("redis://")) {
            throw new ConfigException(REDIS_URL, url, "must be redis://host:port[/db]");
        }
        return new DedupStore(url, c.getInt(REDIS_TIMEOUT_MS), c.getLong(PENDING_TTL_MS), c.getLong(TTL_MS));
    }
}
