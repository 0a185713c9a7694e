package dev.eventpipeline.gateway.app;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.gateway.GatewayServer;
import dev.eventpipeline.gateway.GatewaySettings;
import dev.eventpipeline.gateway.config.GatewayConfig;
import dev.eventpipeline.schema.rest.SchemaRegistryServer;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The gateway of a deployed pipeline: {@code java -jar event-pipeline-gateway-app-VERSION.jar
 * [gateway.properties]}. Starts the schema registry (unless disabled) and the gateway against the
 * configured Kafka, Connect, Redis and ClickHouse; stops both on SIGTERM.
 */
public final class GatewayApp {
    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

    private GatewayApp() {
    }

    public static void main(String[] args) throws Exception {
        Properties file = new Properties();
        if (args.length > 0) {
            try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
                file.load(in);
            }
        }
        GatewayAppConfig config;
        try {
            config = new GatewayAppConfig(GatewayAppConfig.merge(file, System.getenv()));
        } catch (ConfigException e) {
            // One clear line instead of a stack trace: the usual cause is a missing GATEWAY_* variable.
            System.err.println("gateway configuration: " + e.getMessage()
                    + " (set it in the properties file or as GATEWAY_<KEY>; see gateway/app/README.md)");
            System.exit(2);
            return;
        }
        String host = config.getString(GatewayAppConfig.LISTENER_HOST);
        String bootstrap = config.getString(GatewayAppConfig.BOOTSTRAP_SERVERS);
        String redis = config.getString(GatewayAppConfig.REDIS_URL);

        SchemaRegistryServer registry = null;
        if (config.getBoolean(GatewayAppConfig.REGISTRY_ENABLED)) {
            registry = SchemaRegistryServer.start(new SchemaRegistryServer.Settings(bootstrap, Topics.SCHEMAS, host,
                    config.getInt(GatewayAppConfig.REGISTRY_PORT), config.getBoolean(GatewayAppConfig.REGISTRY_REGISTER_SHIPPED),
                    redis));
        }
        Map<String, Object> gatewayKeys = new java.util.HashMap<>();
        config.originals().forEach((k, v) -> {
            if (GatewayConfig.CONFIG_DEF.names().contains(k)) {
                gatewayKeys.put(k, v);
            }
        });
        GatewayServer gateway = GatewayServer.start(new GatewaySettings(host, config.getInt(GatewayAppConfig.LISTENER_PORT),
                bootstrap, config.getString(GatewayAppConfig.CONNECT_URL), redis,
                config.getString(GatewayAppConfig.CLICKHOUSE_URL), config.getString(GatewayAppConfig.INGEST_URL)),
                new GatewayConfig(gatewayKeys), Optional.ofNullable(registry).map(SchemaRegistryServer::registry));

        CountDownLatch stopped = new CountDownLatch(1);
        SchemaRegistryServer registryToStop = registry;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeQuietly(gateway, "gateway");
            closeQuietly(registryToStop, "schema registry");
            stopped.countDown();
        }, "gateway-shutdown"));
        log.info("event-pipeline gateway running (registry {})", registry == null ? "disabled" : "on port "
                + config.getInt(GatewayAppConfig.REGISTRY_PORT));
        stopped.await();
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("stopping the {} failed: {}", what, e.toString());
        }
    }
}
