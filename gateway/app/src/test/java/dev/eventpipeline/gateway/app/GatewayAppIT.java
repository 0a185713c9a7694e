package dev.eventpipeline.gateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable jar as the compose stack runs it: {@code java -jar} configured by GATEWAY_* variables
 * alone, against a real broker and Redis. It serves the gateway API and the schema registry with the
 * shipped schemas registered, reports Connect and ClickHouse (not running here) as down by name, and
 * stops on SIGTERM. A missing setting exits 2 with the key in one line.
 */
@Tag("integration")
class GatewayAppIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void runsFromEnvironmentVariablesAndStopsOnSigterm() throws Exception {
        Path dir = Files.createTempDirectory("gateway-app");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
             RedisServer redis = RedisServer.start(dir.resolve("redis"), PortCheck.freePort())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.SCHEMAS, 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
            int gatewayPort = PortCheck.freePort();
            int registryPort = PortCheck.freePort();
            ProcessBuilder pb = jar(dir);
            pb.environment().putAll(Map.of(
                    "GATEWAY_LISTENER_HOST", "127.0.0.1",
                    "GATEWAY_LISTENER_PORT", String.valueOf(gatewayPort),
                    "GATEWAY_REGISTRY_LISTENER_PORT", String.valueOf(registryPort),
                    "GATEWAY_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "GATEWAY_CONNECT_URL", "http://127.0.0.1:" + PortCheck.freePort(),
                    "GATEWAY_REDIS_URL", redis.url(),
                    "GATEWAY_CLICKHOUSE_URL", "http://127.0.0.1:" + PortCheck.freePort(),
                    "GATEWAY_INGEST_URL", "http://127.0.0.1:" + PortCheck.freePort()));
            Process gateway = pb.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() ->
                        assertThat(get(http, "http://127.0.0.1:" + gatewayPort + "/v1/health/live").statusCode()).isEqualTo(200));
                HttpResponse<String> schemas = get(http, "http://127.0.0.1:" + registryPort + "/schemas");
                assertThat(schemas.statusCode()).isEqualTo(200);
                assertThat(schemas.body()).contains("cart.item_added");
                HttpResponse<String> onGateway = get(http, "http://127.0.0.1:" + gatewayPort + "/v1/schemas");
                assertThat(onGateway.statusCode()).as("the same registry under the gateway's /v1").isEqualTo(200);
                assertThat(onGateway.body()).contains("cart.item_added");
                HttpResponse<String> health = get(http, "http://127.0.0.1:" + gatewayPort + "/v1/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                JsonNode body = JSON.readTree(health.body());
                assertThat(body.path("notReadyBecause").toString()).containsIgnoringCase("connect").containsIgnoringCase("clickhouse");
            } finally {
                gateway.destroy();
                assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
        }
    }

    @Test
    void aMissingSettingExitsWithTheKey() throws Exception {
        ProcessBuilder pb = jar(null);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_"));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("gateway configuration").contains("kafka.bootstrap.servers");
    }

    private static ProcessBuilder jar(Path dir) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", System.getProperty("gateway.jar"))
                .redirectErrorStream(true);
        // A log file keeps a long-running child from blocking on a full pipe; null reads its output directly.
        return dir == null ? pb : pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway.log").toFile()));
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
