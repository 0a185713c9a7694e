package dev.eventpipeline.gateway.app;

import dev.eventpipeline.contract.docs.ConfigReference;
import dev.eventpipeline.gateway.config.GatewayConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of the standalone gateway: where it listens and where the pipeline it watches lives
 * (a deployed Kafka, Connect, Redis and ClickHouse), plus the schema registry it runs next to itself.
 * Keys come from a properties file; each can be overridden by an environment variable named
 * {@code GATEWAY_} + the key upper-cased with dots as underscores ({@code connect.url} →
 * {@code GATEWAY_CONNECT_URL}), the way container images are usually configured.
 */
public final class GatewayAppConfig extends AbstractConfig {
    public static final String LISTENER_HOST = "listener.host";
    public static final String LISTENER_PORT = "listener.port";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String CONNECT_URL = "connect.url";
    public static final String REDIS_URL = "redis.url";
    public static final String CLICKHOUSE_URL = "clickhouse.url";
    public static final String INGEST_URL = "ingest.url";
    public static final String REGISTRY_ENABLED = "registry.enabled";
    public static final String REGISTRY_PORT = "registry.listener.port";
    public static final String REGISTRY_REGISTER_SHIPPED = "registry.register.shipped";

    static final String ENV_PREFIX = "GATEWAY_";
    private static final String LISTENER = "Listener";
    private static final String PIPELINE = "Pipeline";
    private static final String REGISTRY = "Schema registry";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(LISTENER_HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Address the gateway (and the schema registry) listen on.", LISTENER, 1, Width.MEDIUM, "Listen address")
            .define(LISTENER_PORT, Type.INT, 8080, ConfigDef.Range.between(1, 65535), Importance.HIGH,
                    "Port of the gateway's API and status page (/v1/..., /).", LISTENER, 2, Width.SHORT, "Gateway port")
            .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka bootstrap servers (host:port,...): topic statistics, consumer lag, dead letters, the schema registry's topic.",
                    PIPELINE, 1, Width.LONG, "Kafka")
            .define(CONNECT_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, UrlValidator.HTTP, Importance.HIGH,
                    "Kafka Connect REST URL (http://host:8083): connector and task status for /v1/pipeline/status and health.",
                    PIPELINE, 2, Width.LONG, "Connect")
            .define(REDIS_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, UrlValidator.REDIS, Importance.HIGH,
                    "Redis URL (redis://host:6379): health probe and the registry's schema_cache:* mirror.",
                    PIPELINE, 3, Width.LONG, "Redis")
            .define(CLICKHOUSE_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, UrlValidator.HTTP, Importance.HIGH,
                    "ClickHouse HTTP interface URL (http://host:8123): health probe.", PIPELINE, 4, Width.LONG, "ClickHouse")
            .define(INGEST_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, UrlValidator.HTTP, Importance.HIGH,
                    "The event-source connector's listener (http://host:8088): /v1/events... are relayed to it, and dead-letter "
                            + "replay re-sends events through it.", PIPELINE, 5, Width.LONG, "Ingestion listener")
            .define(REGISTRY_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Run the schema registry (REST API on registry.listener.port) in this process. The ValidateEvent transform "
                            + "reads schemas from the registry's Kafka topic, so one registry must run somewhere.",
                    REGISTRY, 1, Width.SHORT, "Run the registry")
            .define(REGISTRY_PORT, Type.INT, 8081, ConfigDef.Range.between(1, 65535), Importance.MEDIUM,
                    "Port of the schema registry's REST API.", REGISTRY, 2, Width.SHORT, "Registry port")
            .define(REGISTRY_REGISTER_SHIPPED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the shipped cart-event schemas at start (idempotent: existing versions are kept).",
                    REGISTRY, 3, Width.SHORT, "Register shipped schemas");

    public GatewayAppConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /**
     * {@code file} values, then every {@code GATEWAY_*} variable of {@code env} that names a key of this
     * config or of the gateway's own {@link GatewayConfig} (alerts, dead-letter retry, ...).
     */
    public static Map<String, Object> merge(Map<?, ?> file, Map<String, String> env) {
        Map<String, Object> out = new HashMap<>();
        file.forEach((k, v) -> out.put(String.valueOf(k), v));
        java.util.Set<String> keys = new java.util.TreeSet<>(CONFIG_DEF.names());
        keys.addAll(GatewayConfig.CONFIG_DEF.names());
        for (String key : keys) {
            String value = env.get(envName(key));
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** A URL with one of the given schemes and a host. */
    static final class UrlValidator implements ConfigDef.Validator {
        static final UrlValidator HTTP = new UrlValidator("http(s)://host:port", "must be an http(s)://host:port URL",
                "http", "https");
        static final UrlValidator REDIS = new UrlValidator("redis://[user:password@]host:port[/db]",
                "must be a redis://host:port URL", "redis", "rediss");

        private final String form;
        private final String message;
        private final java.util.List<String> schemes;

        private UrlValidator(String form, String message, String... schemes) {
            this.form = form;
            this.message = message;
            this.schemes = java.util.List.of(schemes);
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                URI uri = URI.create(value.toString());
                if (!schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                    throw new ConfigException(name, value, message);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, message);
            }
        }

        @Override
        public String toString() {
            return form;
        }
    }

    /** Rewrites the README's configuration reference: {@code main(readme)}. */
    public static void main(String[] args) throws IOException {
        ConfigReference.write(Path.of(args[0]), CONFIG_DEF);
    }
}
