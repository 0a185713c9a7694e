package dev.eventpipeline.compose.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.embedded.PortCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Brings the whole compose stack up with {@code docker compose up --wait} (fresh ports, a generated
 * password and API key), posts the example event to the ingestion listener and waits for it in
 * ClickHouse's {@code events_raw}; checks that the ksql-migrations and connect-deploy jobs exited 0 and
 * the gateway reports healthy; then {@code down -v}. Runs only where a Docker engine answers
 * ({@code docker info}); elsewhere it is reported as skipped with the reason.
 */
@Tag("integration")
@Tag("docker")
class ComposeStackSmokeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROJECT = "event-pipeline-smoke";
    static Path envFile;
    static Map<String, String> env;

    @AfterAll
    static void down() throws Exception {
        if (envFile != null) {
            compose(Duration.ofMinutes(5), "down", "-v", "--remove-orphans");
        }
    }

    @Test
    void theStackComesUpAndAnEventReachesClickHouse() throws Exception {
        // In the test, not in @BeforeAll: a class-level assumption is reported as 0 tests, not as a skip.
        String why = dockerUnavailable();
        assumeTrue(why == null, () -> "no Docker engine answers here (" + why + "); the compose smoke test runs "
                + "wherever `docker info` succeeds. Without Docker, ComposeFileTest and ComposeConnectorsIT check the stack.");
        env = new LinkedHashMap<>(ComposeFile.load().envExample());
        for (String port : List.of("INGEST_PORT", "GATEWAY_PORT", "REGISTRY_PORT", "CONNECT_PORT", "KSQLDB_PORT",
                "KAFKA_PORT", "CLICKHOUSE_HTTP_PORT", "REDIS_PORT")) {
            env.put(port, String.valueOf(PortCheck.freePort()));
        }
        env.put("CLICKHOUSE_PASSWORD", "smoke-" + UUID.randomUUID());
        env.put("INGEST_API_KEYS", "smoke-key-" + UUID.randomUUID());
        envFile = Files.createTempFile("compose-smoke", ".env");
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(envFile, text);

        Result up = compose(Duration.ofMinutes(15), "up", "-d", "--build", "--wait", "--wait-timeout", "600");
        assertThat(up.exit).as(up.output).isZero();
        for (String job : List.of("topics", "connect-deploy", "ksql-migrations")) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> exitCode(job) != null);
            assertThat(exitCode(job)).as(job + " exit code; logs:\n" + compose(Duration.ofMinutes(1), "logs", job).output).isZero();
        }

        HttpClient http = HttpClient.newHttpClient();
        String event = Files.readString(ComposeFile.DIR.resolve("../examples/item-added.json"));
        String eventId = JSON.readTree(event).path("eventId").asText();
        HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("INGEST_PORT") + "/events"))
                .header("Content-Type", "application/json").header("X-API-Key", env.get("INGEST_API_KEYS"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(JSON.readTree(ack.body()).path("status").asText()).as(ack.body()).isEqualTo("accepted");

        String sql = "SELECT count() FROM event_pipeline.events_raw FINAL WHERE event_id = '" + eventId + "'";
        String auth = Base64.getEncoder().encodeToString(("default:" + env.get("CLICKHOUSE_PASSWORD")).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> rows = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("CLICKHOUSE_HTTP_PORT")
                            + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rows.body().strip()).isEqualTo("1");
        });

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("GATEWAY_PORT")
                + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(health.body());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(body.path("ready").asBoolean()).isTrue();
    }

    /** Null when {@code docker info} answers, else why not. */
    static String dockerUnavailable() {
        try {
            Process p = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "docker info did not answer within 30 s";
            }
            return p.exitValue() == 0 ? null : "docker info: " + out.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
        } catch (IOException e) {
            return "no docker CLI: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Integer exitCode(String service) throws Exception {
        Result id = compose(Duration.ofSeconds(30), "ps", "-a", "-q", service);
        String container = id.output.strip();
        if (container.isEmpty()) {
            return null;
        }
        Result state = run(Duration.ofSeconds(30), List.of("docker", "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", container));
        String[] parts = state.output.strip().split(" ");
        return "exited".equals(parts[0]) ? Integer.valueOf(parts[1]) : null;
    }

    record Result(int exit, String output) {
    }

    private static Result compose(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "compose", "-p", PROJECT, "--env-file", envFile.toString(),
                "-f", ComposeFile.DIR.resolve("docker-compose.yml").toString()));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    private static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("compose-smoke", ".log");
        Process p = new ProcessBuilder(command).directory(ComposeFile.DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + String.join(" ", command) + "\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), out);
    }
}
