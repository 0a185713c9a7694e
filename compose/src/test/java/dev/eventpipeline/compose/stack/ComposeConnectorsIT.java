package dev.eventpipeline.compose.stack;

import dev.eventpipeline.compose.ContractTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.compose.connect.ConnectRest;
import dev.eventpipeline.compose.connect.ConnectorConfig;
import dev.eventpipeline.embedded.DebianPackages;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.embedded.connect.ConnectWorkerProcess;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compose stack's connector deployment, without Docker, on real servers: a Connect worker (the
 * project's Connect version, child JVM) configured from {@code connect/connect-distributed.properties}
 * with the {@code connect} service's environment (container addresses mapped to this machine's real
 * Kafka, Redis and ClickHouse), and the stack's own one-shot job, {@code connect-deploy/deploy-connectors.sh},
 * run against it with its overrides: every connector config passes {@code config/validate}, is created,
 * reaches RUNNING, and the credentials the overrides add are resolved from the worker's environment
 * (the API key really guards the ingestion listener). A bad value fails the job with Connect's message.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeConnectorsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "compose-it-key-0123456789";
    static final Path PLUGINS = ComposeFile.DIR.resolve("target/plugins");
    static final Path SCRIPT = ComposeFile.DIR.resolve("connect-deploy/deploy-connectors.sh");
    static final Path OVERRIDES = ComposeFile.DIR.resolve("connect-deploy/overrides");

    static Path dir;
    static KafkaBroker broker;
    static RedisServer redis;
    static ClickHouseServer clickHouse;
    static ConnectWorkerProcess worker;
    static int ingestPort;

    @BeforeAll
    static void start() throws Exception {
        // What the connect-deploy image has (alpine + curl + jq); installed from Debian on a fresh machine.
        DebianPackages.ensureInstalled("jq", "jq");
        DebianPackages.ensureInstalled("curl", "curl");
        dir = Files.createTempDirectory("compose-connectors");
        broker = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
        redis = RedisServer.start(dir.resolve("redis"), PortCheck.freePort());
        clickHouse = ClickHouseServer.start(dir.resolve("clickhouse"), PortCheck.freePort(), PortCheck.freePort());
        ContractTopics.create(broker.bootstrapServers());

        ingestPort = PortCheck.freePort();
        int restPort = PortCheck.freePort();
        ComposeFile compose = ComposeFile.load();
        Map<String, String> dotEnv = new HashMap<>(compose.envExample());
        // The local ClickHouse 18.16 has a password-less default user; the stack requires one.
        dotEnv.put("CLICKHOUSE_PASSWORD", "unused-locally");
        dotEnv.put("INGEST_API_KEYS", API_KEY);
        Map<String, String> env = new HashMap<>();
        compose.environment("connect", dotEnv).forEach((k, v) -> env.put(k, localAddress(v)));
        env.put("CLICKHOUSE_PASSWORD", "");
        env.put("INGEST_PORT", String.valueOf(ingestPort));
        env.put("INGEST_HOST", "127.0.0.1");
        env.remove("KAFKA_HEAP_OPTS");
        assertThat(env).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "REDIS_URL", "CLICKHOUSE_URL", "INGEST_API_KEYS");

        Map<String, String> props = new HashMap<>();
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(ComposeFile.DIR.resolve("connect/connect-distributed.properties"))) {
            file.load(in);
        }
        file.forEach((k, v) -> props.put((String) k, (String) v));
        // Only the addresses differ from the stack's worker.
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("listeners", "http://127.0.0.1:" + restPort);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", String.valueOf(restPort));
        props.put("plugin.path", PLUGINS.toString());
        worker = ConnectWorkerProcess.start(broker.bootstrapServers(), "127.0.0.1", restPort, PLUGINS, props,
                workerClassPath(), List.of("-Xmx384m", "-XX:+UseSerialGC"), env, dir.resolve("worker"), Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{worker, clickHouse, redis, broker}) {
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

    @Test
    @Order(1)
    void theDeployJobCreatesEveryShippedConnectorAndAllRun() throws Exception {
        Result run = deploy(OVERRIDES);
        assertThat(run.exit).as(run.output).isZero();
        List<String> names = shippedNames();
        assertThat(names).hasSize(5);
        for (String name : names) {
            assertThat(run.output).contains("created " + name);
        }
        ConnectRest rest = new ConnectRest(worker.restUrl());
        for (String name : names) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode status = rest.status(name);
                assertThat(status.path("connector").path("state").asText()).as(name + " " + status).isEqualTo("RUNNING");
                assertThat(status.path("tasks").size()).isPositive();
                status.path("tasks").forEach(t -> assertThat(t.path("state").asText())
                        .as(name + " task: " + t.path("trace").asText()).isEqualTo("RUNNING"));
            });
        }
    }

    @Test
    @Order(2)
    void credentialsFromTheOverridesComeFromTheWorkersEnvironment() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String event = Files.readString(ComposeFile.DIR.resolve("../examples/item-added.json"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> PortCheck.isListening("127.0.0.1", ingestPort));
        HttpResponse<String> anonymous = http.send(post(event).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
        HttpResponse<String> keyed = http.send(post(event).header("X-API-Key", API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(keyed.statusCode()).as(keyed.body()).isNotEqualTo(401).isLessThan(500);
        // Connect stores the placeholder, never the key itself.
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(worker.restUrl() + "/connectors/event-source/config"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(stored.body()).path("auth.api.keys").asText()).isEqualTo("${env:INGEST_API_KEYS}");
    }

    @Test
    @Order(3)
    void reRunningTheJobUpdatesInPlace() throws Exception {
        Result run = deploy(OVERRIDES);
        assertThat(run.exit).as(run.output).isZero();
        for (String name : shippedNames()) {
            assertThat(run.output).contains("updated " + name);
        }
    }

    @Test
    @Order(4)
    void anInvalidValueFailsTheJobWithConnectsMessage() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad-overrides"));
        Files.writeString(bad.resolve("clickhouse-sink-raw.json"), "{\"batch.max.rows\": \"-5\"}");
        Result run = deploy(bad);
        assertThat(run.exit).as(run.output).isEqualTo(1);
        assertThat(run.output).contains("clickhouse-sink-raw").contains("is invalid").contains("batch.max.rows");
    }

    private static HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/events"))
                .timeout(Duration.ofSeconds(40))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    record Result(int exit, String output) {
    }

    private static Result deploy(Path overrides) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString(), PLUGINS.toString(), overrides.toString())
                .redirectErrorStream(true);
        pb.environment().put("CONNECT_URL", worker.restUrl());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("deploy-connectors.sh did not finish: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static List<String> shippedNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (Path f : ConnectorConfig.shipped(PLUGINS)) {
            names.add(JSON.readTree(Files.readString(f)).path("name").asText());
        }
        return names;
    }

    /** Container addresses of the stack → this machine's servers. */
    private static String localAddress(String value) {
        return value.replace("kafka:9092", broker.bootstrapServers())
                .replace("redis://redis:6379", redis.url())
                .replace("http://clickhouse:8123", clickHouse.url());
    }

    /** This JVM's class path (connect-runtime of the project's Kafka version) minus the test runner. */
    private static List<String> workerClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(System.getProperty("path.separator")))
                .filter(e -> !e.contains("junit") && !e.contains("surefire") && !e.contains("failsafe"))
                .toList();
    }
}
