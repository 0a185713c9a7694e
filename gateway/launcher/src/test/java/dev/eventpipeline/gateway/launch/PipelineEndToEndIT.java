package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end: the embedded shape (real KRaft broker, real distributed Connect
 * worker loading our archives from plugin.path, real Redis and ClickHouse) takes events over HTTP
 * and lands them, every field, in ClickHouse {@code events_raw}.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Path workDir;
    static PipelineSettings settings;
    static EmbeddedPipeline pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        workDir = Files.createTempDirectory("pipeline-e2e");
        settings = new PipelineSettings(workDir,
                Path.of(System.getProperty("pipeline.plugins.dir", "target/plugins")).toAbsolutePath(),
                "127.0.0.1", PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(),
                PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(), Optional.empty(), Optional.empty());
        pipeline = EmbeddedPipeline.start(settings);
    }

    @AfterAll
    static void stopPipeline() throws IOException {
        if (pipeline != null) {
            pipeline.close();
        }
        PluginInstaller.deleteRecursively(workDir);
    }

    @Test
    @Order(1)
    void connectorsComeFromPluginPathAndRun() throws Exception {
        assertThat(pipeline.connectors()).contains("event-source", "clickhouse-sink-raw", "redis-sink-user-profile");
        JsonNode plugins = JSON.readTree(get(pipeline.connectUrl() + "/connector-plugins").body());
        List<String> classes = new ArrayList<>();
        plugins.forEach(p -> classes.add(p.path("class").asText()));
        assertThat(classes).contains("dev.eventpipeline.ingest.EventSourceConnector",
                "dev.eventpipeline.sink.clickhouse.ClickHouseSinkConnector");
        // Not on the launcher's class path: the worker can only have loaded them from plugin.path.
        assertThat(getClass().getClassLoader().getResource("dev/eventpipeline/ingest/EventSourceConnector.class")).isNull();
        for (String name : pipeline.connectors()) {
            JsonNode status = JSON.readTree(get(pipeline.connectUrl() + "/connectors/" + name + "/status").body());
            assertThat(ConnectorState.parse(status).isRunning()).as(name + " " + status).isTrue();
        }
    }

    @Test
    @Order(2)
    void postedEventsLandInEventsRawWithEveryField() throws Exception {
        Map<String, ObjectNode> sent = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode event = event(i);
            HttpResponse<String> resp = postEvent(event.toString());
            assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
            JsonNode ack = JSON.readTree(resp.body());
            assertThat(ack.path("status").asText()).isEqualTo("accepted");
            assertThat(ack.path("eventId").asText()).isEqualTo(event.path("eventId").asText());
            assertThat(ack.path("topic").asText()).isEqualTo(Topics.RAW);
            assertThat(ack.path("offset").asLong()).isGreaterThanOrEqualTo(0);
            sent.put(event.path("eventId").asText(), event);
        }

        String ids = String.join(",", sent.keySet().stream().map(id -> "'" + id + "'").toList());
        List<JsonNode> rows = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            rows.clear();
            rows.addAll(query("SELECT * FROM event_pipeline.events_raw FINAL WHERE event_id IN (" + ids + ")"));
            return rows.size() == sent.size();
        });
        for (JsonNode row : rows) {
            ObjectNode event = sent.get(row.path("event_id").asText());
            assertThat(event).as("row for an event we sent: " + row).isNotNull();
            assertThat(row.path("type").asText()).isEqualTo("cart.item_added");
            assertThat(row.path("schema_version").asInt()).isEqualTo(1);
            assertThat(row.path("occurred_at").asText()).isEqualTo("2026-11-27 08:00:0" + event.path("n").asInt());
            assertThat(row.path("user_id").asText()).isEqualTo(event.path("userId").asText());
            assertThat(row.path("session_id").asText()).isEqualTo(event.path("sessionId").asText());
            assertThat(row.path("store_id").asText()).isEqualTo("store-eu-1");
            assertThat(JSON.readTree(row.path("payload").asText())).isEqualTo(event.path("payload"));
            assertThat(JSON.readTree(row.path("raw").asText())).isEqualTo(event);
            assertThat(row.path("status").asText()).isEqualTo("accepted");
            assertThat(row.path("ingest_task").asText()).isEqualTo("event-source-0");
            assertThat(row.path("kafka_topic").asText()).isEqualTo(Topics.RAW);
            assertThat(row.path("kafka_offset").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(row.path("received_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        }
    }

    @Test
    @Order(3)
    void malformedJsonGets400WithAReasonAndIsNotWritten() throws Exception {
        HttpResponse<String> resp = postEvent("{\"eventId\": \"x\", ");
        assertThat(resp.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(resp.body());
        assertThat(body.path("status").asText()).isEqualTo("invalid");
        assertThat(body.path("reason").asText()).containsIgnoringCase("malformed JSON");

        ObjectNode missingId = event(9);
        missingId.remove("eventId");
        HttpResponse<String> noId = postEvent(missingId.toString());
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noId.body()).path("pointer").asText()).isEqualTo("/eventId");
    }

    @Test
    @Order(4)
    void restartKeepsConnectorsAndDataAndIsQuick() throws Exception {
        long before = count();
        pipeline.close();
        long t0 = System.nanoTime();
        pipeline = EmbeddedPipeline.start(settings);
        Duration restart = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(restart).as("second start").isLessThan(Duration.ofSeconds(30));
        assertThat(count()).isEqualTo(before);

        ObjectNode event = event(7);
        assertThat(postEvent(event.toString()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> count() == before + 1);
    }

    static ObjectNode event(int n) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "cart.item_added");
        e.put("schemaVersion", 1);
        e.put("occurredAt", "2026-11-27T08:00:0" + n + ".250Z");
        e.put("userId", "user-" + n);
        e.put("sessionId", "session-" + n);
        e.put("storeId", "store-eu-1");
        e.put("n", n);
        ObjectNode payload = e.putObject("payload");
        payload.put("cartId", "cart-" + n);
        payload.put("sku", "SKU-" + n);
        payload.put("quantity", n + 1);
        return e;
    }

    static long count() throws Exception {
        return query("SELECT count() AS c FROM event_pipeline.events_raw FINAL").get(0).path("c").asLong();
    }

    static HttpResponse<String> postEvent(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.ingestUrl() + "/events"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> query(String sql) throws Exception {
        String url = pipeline.clickHouseUrl() + "/?query=" + URLEncoder.encode(sql + " FORMAT JSONEachRow", StandardCharsets.UTF_8);
        HttpResponse<String> resp = get(url);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : resp.body().split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }
}
