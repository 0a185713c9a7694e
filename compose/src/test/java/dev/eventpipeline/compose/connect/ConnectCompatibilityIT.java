package dev.eventpipeline.compose.connect;

import dev.eventpipeline.compose.ContractTopics;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.embedded.connect.ConnectWorkerProcess;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The plugin archives in real Kafka Connect workers of the <em>oldest</em> and the <em>newest</em>
 * version their manifests claim: each worker runs in a child JVM on Apache's own class path for that
 * version ({@code compose/workers/connect-*}), loads our plugins only through {@code plugin.path}
 * (the archives unzipped, as an operator would), validates every shipped connector config with
 * {@code PUT /connector-plugins/{class}/config/validate} and creates every connector, which must
 * reach RUNNING with all its tasks against a real broker, Redis and ClickHouse.
 */
@Tag("integration")
class ConnectCompatibilityIT {
    static final Path PLUGIN_PATH = Path.of("target", "plugins").toAbsolutePath();

    static Path dir;
    static KafkaBroker broker;
    static RedisServer redis;
    static ClickHouseServer clickHouse;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("connect-compat");
        broker = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
        redis = RedisServer.start(dir.resolve("redis"), PortCheck.freePort());
        clickHouse = ClickHouseServer.start(dir.resolve("clickhouse"), PortCheck.freePort(), PortCheck.freePort());
        ContractTopics.create(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{clickHouse, redis, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover temp dir is not a test failure
        }
    }

    @ParameterizedTest(name = "Connect {0}")
    @ValueSource(strings = {"oldest", "newest"})
    void everyShippedConnectorRunsInTheClaimedWorkerVersion(String which) throws Exception {
        String version = System.getProperty("connect." + which + ".version");
        Path classPathDir = Path.of(System.getProperty("connect." + which + ".classpath"));
        List<String> classPath = classPath(classPathDir);
        assertThat(classPath).as("compose/workers/connect-" + which + " resolves connect-runtime " + version
                        + " (= connect." + which + ".version in the parent pom)")
                .anyMatch(j -> j.endsWith("connect-runtime-" + version + ".jar"));

        int restPort = PortCheck.freePort();
        Map<String, String> worker = Map.of(
                "group.id", "compat-" + which,
                "config.storage.topic", "_compat-" + which + "-configs",
                "offset.storage.topic", "_compat-" + which + "-offsets",
                "status.storage.topic", "_compat-" + which + "-status");
        try (ConnectWorkerProcess process = ConnectWorkerProcess.start(broker.bootstrapServers(), "127.0.0.1", restPort,
                PLUGIN_PATH, worker, classPath, List.of("-Xmx384m", "-XX:+UseSerialGC"), dir.resolve("worker-" + which),
                Duration.ofSeconds(180))) {
            ConnectRest rest = new ConnectRest(process.restUrl());
            assertThat(rest.version()).isEqualTo(version);
            assertThat(rest.pluginClasses()).contains(
                    "dev.eventpipeline.ingest.EventSourceConnector",
                    "dev.eventpipeline.sink.clickhouse.ClickHouseSinkConnector",
                    "dev.eventpipeline.sink.redis.RedisSinkConnector",
                    "dev.eventpipeline.smt.ValidateEvent",
                    "dev.eventpipeline.smt.DeduplicateEvent");

            Map<String, String> env = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "INGEST_HOST", "127.0.0.1",
                    "INGEST_PORT", String.valueOf(PortCheck.freePort()),
                    "REDIS_URL", redis.url(),
                    "CLICKHOUSE_URL", clickHouse.url());
            List<String> names = new ArrayList<>();
            List<Path> files = ConnectorConfig.shipped(PLUGIN_PATH);
            assertThat(files).as("etc/*.json of the archives").hasSize(5);
            for (Path file : files) {
                ConnectorConfig c = ConnectorConfig.load(file, null, env);
                assertThat(rest.validate(c.config())).as("config/validate of " + file.getFileName() + " on Connect " + version)
                        .isEmpty();
                assertThat(rest.put(c.name(), c.config())).isEqualTo(201);
                names.add(c.name());
            }
            for (String name : names) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    JsonNode status = rest.status(name);
                    assertThat(status.path("connector").path("state").asText()).as(name + " " + status).isEqualTo("RUNNING");
                    assertThat(status.path("tasks").size()).as(name + " tasks").isPositive();
                    status.path("tasks").forEach(t -> assertThat(t.path("state").asText())
                            .as(name + " task " + t.path("id") + ": " + t.path("trace").asText()).isEqualTo("RUNNING"));
                });
            }
            for (String name : names) {
                rest.delete(name);
            }
        }
    }

    static List<String> classPath(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no worker class path at " + dir + ": build compose/workers first (mvn package)");
        }
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(j -> j.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
        }
    }
}
