package dev.eventpipeline.gateway.launch;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the embedded shape listens and keeps its state. Every value has a documented default and
 * can be overridden by a system property ({@code -Dpipeline.kafka.port=19092}) or an environment
 * variable ({@code PIPELINE_KAFKA_PORT=19092}); the property wins.
 *
 * @param redisUrl      an existing Redis to use instead of starting one (empty: start locally)
 * @param clickHouseUrl an existing ClickHouse to use instead of starting one (empty: start locally)
 */
public record PipelineSettings(
        Path workDir,
        Path pluginArchives,
        String host,
        int kafkaPort,
        int controllerPort,
        int connectPort,
        int ingestPort,
        int redisPort,
        int clickHouseHttpPort,
        int clickHouseTcpPort,
        int gatewayPort,
        int registryPort,
        Optional<String> redisUrl,
        Optional<String> clickHouseUrl) {

    /** Settings without fixed gateway and registry ports: both bind ephemeral ones (tests). */
    public PipelineSettings(Path workDir, Path pluginArchives, String host, int kafkaPort, int controllerPort,
                            int connectPort, int ingestPort, int redisPort, int clickHouseHttpPort,
                            int clickHouseTcpPort, Optional<String> redisUrl, Optional<String> clickHouseUrl) {
        this(workDir, pluginArchives, host, kafkaPort, controllerPort, connectPort, ingestPort, redisPort,
                clickHouseHttpPort, clickHouseTcpPort, 0, 0, redisUrl, clickHouseUrl);
    }

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_CONNECT_PORT = 8083;
    public static final int DEFAULT_INGEST_PORT = 8088;
    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final int DEFAULT_CLICKHOUSE_HTTP_PORT = 8123;
    public static final int DEFAULT_CLICKHOUSE_TCP_PORT = 9000;
    public static final int DEFAULT_GATEWAY_PORT = 8080;
    public static final int DEFAULT_REGISTRY_PORT = 8081;

    /** Reads settings from system properties, then the environment, then the defaults. */
    public static PipelineSettings fromEnvironment() {
        return from(System.getProperties()::getProperty, System.getenv());
    }

    static PipelineSettings from(Function<String, String> properties, Map<String, String> env) {
        Lookup l = new Lookup(properties, env);
        return new PipelineSettings(
                Path.of(l.get("work.dir", "work")).toAbsolutePath(),
                Path.of(l.get("plugins.dir", "gateway/launcher/target/plugins")).toAbsolutePath(),
                l.get("host", "127.0.0.1"),
                l.port("kafka.port", DEFAULT_KAFKA_PORT),
                l.port("controller.port", DEFAULT_CONTROLLER_PORT),
                l.port("connect.port", DEFAULT_CONNECT_PORT),
                l.port("ingest.port", DEFAULT_INGEST_PORT),
                l.port("redis.port", DEFAULT_REDIS_PORT),
                l.port("clickhouse.http.port", DEFAULT_CLICKHOUSE_HTTP_PORT),
                l.port("clickhouse.tcp.port", DEFAULT_CLICKHOUSE_TCP_PORT),
                l.port("gateway.port", DEFAULT_GATEWAY_PORT),
                l.port("registry.port", DEFAULT_REGISTRY_PORT),
                Optional.ofNullable(l.get("redis.url", null)).filter(s -> !s.isBlank()),
                Optional.ofNullable(l.get("clickhouse.url", null)).filter(s -> !s.isBlank()));
    }

    public String bootstrapServers() {
        return host + ":" + kafkaPort;
    }

    public String connectUrl() {
        return "http://" + host + ":" + connectPort;
    }

    public String ingestUrl() {
        return "http://" + host + ":" + ingestPort;
    }

    private record Lookup(Function<String, String> properties, Map<String, String> env) {
        String get(String key, String fallback) {
            String value = properties.apply("pipeline." + key);
            if (value == null) {
                value = env.get("PIPELINE_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
            }
            return value == null ? fallback : value;
        }

        int port(String key, int fallback) {
            String value = get(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                int port = Integer.parseInt(value.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pipeline." + key + " must be a port number 1-65535, got '" + value + "'");
            }
        }
    }
}
