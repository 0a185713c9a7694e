package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.connect.ConnectWorker;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.gateway.GatewayServer;
import dev.eventpipeline.gateway.GatewaySettings;
import dev.eventpipeline.gateway.config.GatewayConfig;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.ksql.EnrichmentRuntime;
import dev.eventpipeline.schema.rest.SchemaRegistryServer;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The embedded shape: a KRaft broker and a distributed Connect worker in this JVM, Redis and
 * ClickHouse as local servers (or the ones given by URL), the contract's topics, and the
 * connectors created through Connect's REST API from the JSON files inside the plugin archives.
 *
 * <p>Start order: local servers in the background while the broker starts; topics; Connect;
 * connectors. Stop order is the reverse (Connect before the broker, so the next start is quick).
 */
public final class EmbeddedPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPipeline.class);

    private final PipelineSettings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private KafkaBroker broker;
    private ConnectWorker connect;
    private RedisServer redis;
    private ClickHouseServer clickHouse;
    private String redisUrl;
    private String clickHouseUrl;
    private List<String> connectors = List.of();
    private ConnectorStatusWatcher watcher;
    private GatewayServer gateway;
    private EnrichmentRuntime enrichment;
    private SchemaRegistryServer registry;

    private final Map<String, String> gatewayConfig;

    private EmbeddedPipeline(PipelineSettings settings, Map<String, String> gatewayConfig) {
        this.settings = settings;
        this.gatewayConfig = gatewayConfig;
    }

    /** Starts with the gateway configured from {@code pipeline.gateway.*} properties / {@code PIPELINE_GATEWAY_*} variables. */
    public static EmbeddedPipeline start(PipelineSettings settings) throws IOException, InterruptedException {
        return start(settings, GatewayConfigSource.fromEnvironment());
    }

    /** @param gatewayConfig {@code GatewayConfig} keys and values (dead-letter retry, alert rules) */
    public static EmbeddedPipeline start(PipelineSettings settings, Map<String, String> gatewayConfig)
            throws IOException, InterruptedException {
        EmbeddedPipeline pipeline = new EmbeddedPipeline(settings, gatewayConfig);
        try {
            pipeline.startAll();
            return pipeline;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pipeline.close();
            throw e;
        } catch (Exception e) {
            pipeline.close();
            throw new IOException("starting the pipeline failed: " + e.getMessage(), e);
        }
    }

    private void startAll() throws Exception {
        // Kafka and Connect call Exit.exit on fatal errors; in a shared JVM that must become an exception.
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka requested exit(" + code + "): " + message);
        });
        Path work = settings.workDir();
        Files.createDirectories(work);

        CompletableFuture<Void> redisReady = CompletableFuture.runAsync(this::startRedis);
        CompletableFuture<Void> clickHouseReady = CompletableFuture.runAsync(this::startClickHouse);

        broker = KafkaBroker.start(work.resolve("kafka"), settings.host(), settings.kafkaPort(), settings.controllerPort());
        started.push(broker);
        TopicProvisioner.createContractTopics(broker.bootstrapServers());

        // Schema registry (issue #4), in parallel with the Connect worker's start: the compacted
        // schemas topic read back into memory, the shipped cart schemas registered (idempotently),
        // every version mirrored to Redis schema_cache:*. Connectors are deployed only after it.
        join(redisReady);
        CompletableFuture<SchemaRegistryServer> registryReady = CompletableFuture.supplyAsync(() -> {
            try {
                return SchemaRegistryServer.start(new SchemaRegistryServer.Settings(broker.bootstrapServers(),
                        Topics.SCHEMAS, settings.host(), settings.registryPort(), true, redisUrl));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });

        List<Path> components = PluginInstaller.install(settings.pluginArchives(), work.resolve("plugins"));
        connect = ConnectWorker.start(broker.bootstrapServers(), settings.host(), settings.connectPort(),
                work.resolve("plugins"), Map.of(), Duration.ofSeconds(60));
        started.push(connect);
        watcher = new ConnectorStatusWatcher(connect.restUrl());
        started.push(watcher);

        join(redisReady);
        join(clickHouseReady);

        registry = join(registryReady);
        started.push(registry);

        // Enrichment (issue #6): the embedded twin of ksql/migrations, unless KSQLDB_URL names a ksqlDB server.
        EnrichmentRuntime.startUnlessKsqlDb(System.getenv(), broker.bootstrapServers(), redisUrl, work.resolve("enrichment"))
                .ifPresent(runtime -> {
                    enrichment = runtime;
                    synchronized (started) {
                        started.push(runtime);
                    }
                });

        ConnectorDeployer deployer = new ConnectorDeployer(connect.restUrl(), placeholderValues());
        connectors = deployer.deploy(PluginInstaller.connectorConfigs(components));
        watcher.awaitRunning(connectors, Duration.ofSeconds(60));
        // After a restart Connect may report the RUNNING state it persisted before the stop while the
        // new ingestion task is still starting: "ready" means clients can connect.
        awaitListening(settings.host(), settings.ingestPort(), Duration.ofSeconds(60));
        watcher.start(Duration.ofSeconds(1));

        gateway = GatewayServer.start(new GatewaySettings(settings.host(), settings.gatewayPort(),
                broker.bootstrapServers(), connect.restUrl(), redisUrl, clickHouseUrl, settings.ingestUrl()),
                new GatewayConfig(gatewayConfig), Optional.of(registry.registry()));
        started.push(gateway);
    }

    private void startRedis() {
        Optional<String> external = settings.redisUrl();
        if (external.isPresent()) {
            redisUrl = external.get();
            log.info("Using Redis at {}", redisUrl);
            return;
        }
        try {
            redis = RedisServer.start(settings.workDir().resolve("redis"), settings.redisPort());
            synchronized (started) {
                started.addLast(redis);
            }
            redisUrl = redis.url();
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private void startClickHouse() {
        Optional<String> external = settings.clickHouseUrl();
        if (external.isPresent()) {
            clickHouseUrl = external.get();
            log.info("Using ClickHouse at {}", clickHouseUrl);
            return;
        }
        try {
            clickHouse = ClickHouseServer.start(settings.workDir().resolve("clickhouse"),
                    settings.clickHouseHttpPort(), settings.clickHouseTcpPort());
            synchronized (started) {
                started.addLast(clickHouse);
            }
            clickHouseUrl = clickHouse.url();
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private static void awaitListening(String host, int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!PortCheck.isListening(host, port)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the ingestion listener on " + host + ":" + port + " did not open within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Values for the {@code ${env:NAME}} placeholders of the shipped connector configs. */
    Map<String, String> placeholderValues() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers(),
                "INGEST_HOST", settings.host(),
                "INGEST_PORT", String.valueOf(settings.ingestPort()),
                "REDIS_URL", redisUrl,
                "CLICKHOUSE_URL", clickHouseUrl);
    }

    public PipelineSettings settings() {
        return settings;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String connectUrl() {
        return connect.restUrl();
    }

    public String registryUrl() {
        return registry.url();
    }

    public String gatewayUrl() {
        return gateway.url();
    }

    public String ingestUrl() {
        return settings.ingestUrl();
    }

    public String redisUrl() {
        return redisUrl;
    }

    public String clickHouseUrl() {
        return clickHouseUrl;
    }

    public List<String> connectors() {
        return connectors;
    }

    /** The local ClickHouse, when this pipeline started one. */
    public Optional<ClickHouseServer> clickHouse() {
        return Optional.ofNullable(clickHouse);
    }

    /** The embedded enrichment runtime, unless a ksqlDB server runs the queries. */
    public Optional<EnrichmentRuntime> enrichment() {
        return Optional.ofNullable(enrichment);
    }

    /** The local Redis, when this pipeline started one. */
    public Optional<RedisServer> redis() {
        return Optional.ofNullable(redis);
    }

    /** Stops Connect, then the broker, then the local servers. Safe to call twice. */
    @Override
    public void close() {
        // Connect and broker were pushed to the front, local servers appended at the back.
        while (true) {
            AutoCloseable next;
            synchronized (started) {
                next = started.pollFirst();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", next, e.toString());
            }
        }
    }
}
