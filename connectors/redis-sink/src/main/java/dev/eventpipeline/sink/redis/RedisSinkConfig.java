package dev.eventpipeline.sink.redis;

import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Configuration of the Redis sink; the README's reference is generated from {@link #CONFIG}. */
public final class RedisSinkConfig extends AbstractConfig {
    public static final String URL = "redis.url";
    public static final String MODE = "redis.mode";
    public static final String KEY_PREFIX = "redis.key.prefix";
    public static final String TIMEOUT_MS = "redis.timeout.ms";

    public enum Mode { STRING, HASH }

    private static final String GROUP = "Redis";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(URL, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new RedisUrl(), ConfigDef.Importance.HIGH,
                    "Redis to write to: redis://[user:password@]host:port[/db].", GROUP, 1, ConfigDef.Width.LONG, "Redis URL")
            .define(MODE, ConfigDef.Type.STRING, "string",
                    ConfigDef.CaseInsensitiveValidString.in("string", "hash"), ConfigDef.Importance.HIGH,
                    "string: SET <prefix><key> to the record value (text as is, anything else as JSON). hash: HSET "
                            + "<prefix><key> with every field of the value (a JSON object text, a Map or a Struct); "
                            + "fields whose value is null are removed with HDEL; nested values are stored as JSON text. "
                            + "In both modes a null value (tombstone) DELetes the key.",
                    GROUP, 2, ConfigDef.Width.SHORT, "Mode")
            .define(KEY_PREFIX, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Prepended to the record key to form the Redis key, e.g. user_profile:.", GROUP, 3,
                    ConfigDef.Width.MEDIUM, "Key prefix")
            .define(TIMEOUT_MS, ConfigDef.Type.INT, 2000, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "Connect and read timeout of Redis calls; a timeout makes Connect retry the batch.", GROUP, 4,
                    ConfigDef.Width.SHORT, "Timeout (ms)");

    /** Accepts redis://[user:password@]host:port[/db]. */
    static final class RedisUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                URI uri = URI.create(String.valueOf(value));
                if ("redis".equals(uri.getScheme()) && uri.getHost() != null) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new ConfigException(name, value, "must look like redis://[user:password@]host:port[/db]");
        }

        @Override
        public String toString() {
            return "redis://[user:password@]host:port[/db]";
        }
    }

    public RedisSinkConfig(Map<?, ?> props) {
        super(CONFIG, props);
    }

    public String url() {
        return getString(URL);
    }

    public Mode mode() {
        return Mode.valueOf(getString(MODE).toUpperCase(java.util.Locale.ROOT));
    }

    public String keyPrefix() {
        return getString(KEY_PREFIX);
    }

    public int timeoutMs() {
        return getInt(TIMEOUT_MS);
    }

    /** Rewrites the README's config reference: {@code main(readme)}. */
    public static void main(String[] args) throws IOException {
        ConfigReference.write(Path.of(args[0]), CONFIG);
    }
}
