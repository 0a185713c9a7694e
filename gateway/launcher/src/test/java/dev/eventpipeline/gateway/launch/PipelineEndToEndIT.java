package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.gateway.status.ConnectorState;
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

    /** Quick dead-letter retries and alert evaluations, and a webhook this test receives alerts on. */
    static Map<String, String> GATEWAY_CONFIG;
    static com.sun.net.httpserver.HttpServer webhook;
    static final List<JsonNode> WEBHOOK_CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();
    static dev.eventpipeline.embedded.redis.RedisServer restartedRedis;

    static Path workDir;
    static PipelineSettings settings;
    static EmbeddedPipeline pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        workDir = Files.createTempDirectory("pipeline-e2e");
        settings = TestPipelines.settings(workDir);
        webhook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            WEBHOOK_CALLS.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        GATEWAY_CONFIG = Map.of("dlq.retry.backoff.initial.ms", "200", "dlq.retry.max.attempts", "2",
                "alerts.evaluation.interval.ms", "1000",
                "alerts.webhook.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");
        pipeline = EmbeddedPipeline.start(settings, GATEWAY_CONFIG);
    }

    @AfterAll
    static void stopPipeline() throws IOException {
        if (pipeline != null) {
            pipeline.close();
        }
        if (restartedRedis != null) {
            restartedRedis.close();
        }
        if (webhook != null) {
            webhook.stop(0);
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
            assertThat(ack.path("topic").asText()).isEqualTo(Topics.VALIDATED);
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
            // ValidateEvent carries v1 events forward to the latest cart.item_added (v3) and records the original.
            assertThat(row.path("schema_version").asInt()).isEqualTo(3);
            assertThat(row.path("occurred_at").asText()).isEqualTo("2026-11-27 08:00:0" + event.path("n").asInt());
            assertThat(row.path("user_id").asText()).isEqualTo(event.path("userId").asText());
            assertThat(row.path("session_id").asText()).isEqualTo(event.path("sessionId").asText());
            assertThat(row.path("store_id").asText()).isEqualTo("store-eu-1");
            JsonNode payload = JSON.readTree(row.path("payload").asText());
            assertThat(payload.path("productId").asText()).isEqualTo(event.path("payload").path("productId").asText());
            assertThat(payload.path("quantity").asInt()).isEqualTo(event.path("payload").path("quantity").asInt());
            assertThat(payload.path("unitPrice").asDouble()).isEqualTo(19.99); // v2 renamed price -> unitPrice
            assertThat(payload.path("source").asText()).isEqualTo("web");      // v2 default
            assertThat(payload.path("discount").asInt()).isZero();             // v3 default
            JsonNode raw = JSON.readTree(row.path("raw").asText());
            assertThat(raw.path("eventId")).isEqualTo(event.path("eventId"));
            assertThat(raw.path("originalSchemaVersion").asInt()).isEqualTo(1);
            assertThat(row.path("status").asText()).isEqualTo("validated");
            assertThat(row.path("ingest_task").asText()).isEqualTo("event-source-0");
            assertThat(row.path("kafka_topic").asText()).isEqualTo(Topics.VALIDATED);
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
    void restartKeepsConnectorsAndData() throws Exception {
        long before = count();
        pipeline.close();
        // Start-up time is measured by scripts/measure-startup.sh (README), not asserted here.
        pipeline = EmbeddedPipeline.start(settings, GATEWAY_CONFIG);
        assertThat(count()).isEqualTo(before);

        ObjectNode event = event(7);
        assertThat(postEvent(event.toString()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> count() == before + 1);
    }

    @Test
    @Order(5)
    void gatewayReportsReadinessStatusAndMetrics() throws Exception {
        HttpResponse<String> health = get(pipeline.gatewayUrl() + "/v1/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode h = JSON.readTree(health.body());
        assertThat(h.path("ready").asBoolean()).isTrue();
        List<String> deps = new ArrayList<>();
        h.path("dependencies").forEach(d -> deps.add(d.path("name").asText()));
        assertThat(deps).containsExactly("kafka", "connect", "redis", "clickhouse");

        // The status is cached for 2 s, so the event of the previous test may not be counted yet.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/pipeline/status").body());
            assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("HEALTHY");
            assertThat(status.path("topicRecords").path(Topics.VALIDATED).asLong()).isEqualTo(6);
            assertThat(status.path("consumerLag").path("connect-clickhouse-sink-raw").path(Topics.VALIDATED).asLong()).isZero();
            assertThat(status.path("deadLetters").asLong()).isZero();
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = get(pipeline.gatewayUrl() + "/v1/metrics").body();
            assertThat(metrics).contains("jvm_memory_used_bytes", "pipeline_dependency_up{dependency=\"clickhouse\"} 1.0",
                    "pipeline_consumer_lag_records{group=\"connect-clickhouse-sink-raw\",topic=\"cart-events-validated\"}",
                    "connect_source_task_source_record_write{connector=\"event-source\",task=\"0\"}");
        });
    }

    @Test
    @Order(6)
    void healthFlipsWhenClickHouseStopsAndRecovers() throws Exception {
        var clickHouse = pipeline.clickHouse().orElseThrow();
        clickHouse.stop();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> resp = get(pipeline.gatewayUrl() + "/v1/health");
            assertThat(resp.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(resp.body()).path("notReadyBecause").toString()).contains("clickhouse");
        });
        dev.eventpipeline.embedded.clickhouse.ClickHouseServer.start(clickHouse.workDir(), clickHouse.httpPort(), clickHouse.tcpPort());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(pipeline.gatewayUrl() + "/v1/health").statusCode()).isEqualTo(200));
    }

    @Test
    @Order(7)
    void pipelineStatusShowsAFailedTaskWithItsTrace() throws Exception {
        // A second ingestion connector on the port the first one holds: its task fails to bind.
        String config = "{\"connector.class\":\"dev.eventpipeline.ingest.EventSourceConnector\",\"tasks.max\":\"1\","
                + "\"listener.host\":\"127.0.0.1\",\"listener.port\":\"" + settings.ingestPort() + "\"}";
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.connectUrl() + "/connectors/clash/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/pipeline/status").body());
                assertThat(status.path("state").asText()).isEqualTo("DEGRADED");
                JsonNode clash = null;
                for (JsonNode c : status.path("connectors")) {
                    if (c.path("name").asText().equals("clash")) {
                        clash = c;
                    }
                }
                assertThat(clash).isNotNull();
                assertThat(clash.path("tasks").path(0).path("state").asText()).isEqualTo("FAILED");
                assertThat(clash.path("tasks").path(0).path("trace").asText()).contains("Exception");
                assertThat(status.path("problems").toString()).contains("connector clash is");
                assertThat(status.path("alerts").toString()).contains("connector-failed:clash");
            });
        } finally {
            HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.connectUrl() + "/connectors/clash")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    @Order(8)
    void statusPageRendersTheFlowInHeadlessChromium() throws Exception {
        // The previous test's failing connector is gone once the (2 s) status cache has turned over.
        await().atMost(Duration.ofSeconds(20)).until(() ->
                JSON.readTree(get(pipeline.gatewayUrl() + "/v1/pipeline/status").body()).path("state").asText().equals("HEALTHY"));
        HeadlessChromium chromium = new HeadlessChromium(workDir);
        String dom = chromium.dumpDom(pipeline.gatewayUrl() + "/");
        assertThat(dom).contains("data-node=\"event-source\"", "data-node=\"clickhouse-sink-raw\"",
                "data-node=\"cart-events-raw\"", "data-connector=\"event-source\"", ">HEALTHY<");
        assertThat(dom).as("the status page links the API docs").contains("href=\"/v1/docs\"");
        // The rendered API docs: every operation of the OpenAPI document, drawn by the page's own script.
        String docs = chromium.dumpDom(pipeline.gatewayUrl() + "/v1/docs");
        assertThat(docs).contains("data-op=\"POST /v1/deadletters/replay\"", "data-op=\"GET /v1/events/stream\"",
                "data-op=\"GET /v1/subjects/{subject}/versions\"", "problem+json");

        Path png = workDir.resolve("status-page.png");
        chromium.screenshot(pipeline.gatewayUrl() + "/", png);
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        boolean healthyGreen = false;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                healthyGreen |= rgb == 0x1F9D55;
            }
        }
        assertThat(colours.size()).as("a rendered page, not a blank one").isGreaterThan(50);
        assertThat(healthyGreen).as("the HEALTHY pill / RUNNING nodes are drawn in green").isTrue();
        java.nio.file.Files.copy(png, Path.of("target/status-page.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(9)
    void deadLettersAreListedWithReasonAndClassification() throws Exception {
        ObjectNode invalid = event(3);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", pipeline.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            var schemaInvalid = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(Topics.DLQ, invalid.toString());
            schemaInvalid.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_REASON, "/payload/quantity: must be >= 1".getBytes());
            schemaInvalid.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_TOPIC, Topics.RAW.getBytes());
            var timeout = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(Topics.DLQ, "not json at all");
            timeout.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_STAGE, "TASK_PUT".getBytes());
            timeout.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_EXCEPTION_CLASS, "java.net.SocketTimeoutException".getBytes());
            timeout.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_EXCEPTION_MESSAGE, "Read timed out".getBytes());
            producer.send(schemaInvalid).get();
            producer.send(timeout).get();
        }
        // The transient one names no topic to retry to: the retrier parks it (a marked copy, listed as parked).
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode parked = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters?classification=parked").body());
            assertThat(parked.path("count").asInt()).isEqualTo(1);
            assertThat(parked.path("deadLetters").path(0).path("reason").asText())
                    .startsWith("parked: no source topic").contains("Read timed out");
        });
        JsonNode all = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters").body());
        assertThat(all.path("count").asInt()).isEqualTo(3);

        JsonNode byReason = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters?reason=quantity").body());
        assertThat(byReason.path("count").asInt()).isEqualTo(1);
        JsonNode letter = byReason.path("deadLetters").path(0);
        assertThat(letter.path("eventId").asText()).isEqualTo(invalid.path("eventId").asText());
        assertThat(letter.path("eventType").asText()).isEqualTo("cart.item_added");
        assertThat(letter.path("classification").asText()).isEqualTo("permanent");
        assertThat(letter.path("sourceTopic").asText()).isEqualTo(Topics.RAW);
        assertThat(JSON.readTree(letter.path("value").asText())).isEqualTo(invalid);

        JsonNode transientOnes = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters?classification=transient").body());
        assertThat(transientOnes.path("count").asInt()).isEqualTo(1);
        assertThat(transientOnes.path("deadLetters").path(0).path("reason").asText()).isEqualTo("Read timed out");
        assertThat(transientOnes.path("deadLetters").path(0).path("value").asText()).isEqualTo("not json at all");

        HttpResponse<String> bad = get(pipeline.gatewayUrl() + "/v1/deadletters?limit=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(bad.body()).path("detail").asText()).contains("limit");
    }

    @Test
    @Order(10)
    void schemaInvalidEventsAreAckedInvalidAndKeptAndRetriesOfWrittenEventsAreDuplicates() throws Exception {
        ObjectNode invalid = event(4);
        ((ObjectNode) invalid.path("payload")).put("quantity", 0);
        HttpResponse<String> rejected = postEvent(invalid.toString());
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(400);
        assertThat(rejected.body()).contains("\"invalid\"", Topics.DLQ);
        // The reason the client reads is the validator's, the same text as the DLQ record's header.
        assertThat(rejected.body()).contains("quantity").doesNotContain("routed to");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode found = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters?type=cart.item_added&reason=quantity").body());
            List<String> ids = new ArrayList<>();
            found.path("deadLetters").forEach(d -> ids.add(d.path("eventId").asText()));
            assertThat(ids).contains(invalid.path("eventId").asText());
        });

        ObjectNode event = event(5);
        HttpResponse<String> first = postEvent(event.toString());
        assertThat(JSON.readTree(first.body()).path("status").asText()).as(first.body()).isEqualTo("accepted");
        // The dead letter also lands in ClickHouse events_errors, with the reason and the schema.
        String invalidId = invalid.path("eventId").asText();
        List<JsonNode> errors = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            errors.clear();
            errors.addAll(query("SELECT event_id, type, error_reason, error_schema_subject, error_source_topic, original_payload "
                    + "FROM event_pipeline.events_errors FINAL WHERE event_id = '" + invalidId + "'"));
            return errors.size() == 1;
        });
        assertThat(errors.get(0).path("type").asText()).isEqualTo("cart.item_added");
        assertThat(errors.get(0).path("error_reason").asText()).contains("quantity");
        assertThat(errors.get(0).path("error_schema_subject").asText()).isEqualTo("cart.item_added");
        assertThat(JSON.readTree(errors.get(0).path("original_payload").asText()).path("eventId").asText()).isEqualTo(invalidId);

        // Counted by reason code in the status and as a metric.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode counts = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/pipeline/status").body()).path("deadLetterCounts");
            assertThat(counts.path("byReason").path("permanent").path("invalid:/payload/quantity").asLong()).isEqualTo(1);
            assertThat(counts.path("byClassification").path("parked").asLong()).isEqualTo(1);
            assertThat(counts.path("lastMinute").asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(get(pipeline.gatewayUrl() + "/v1/metrics").body()).contains(
                    "pipeline_dead_letters_records{classification=\"permanent\",reason=\"invalid:/payload/quantity\"} 1.0",
                    "pipeline_dead_letters_records{classification=\"parked\",reason=\"parked\"} 1.0");
        });

        // The client did not see the first ack and retries: the pipeline must not write it twice.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> retry = postEvent(event.toString());
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(retry.body()).path("status").asText()).as(retry.body()).isEqualTo("duplicate");
        });
    }

    @Test
    @Order(11)
    void schemaRegistryIsServedUnderTheGatewaysV1() throws Exception {
        JsonNode subjects = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/schemas").body());
        List<String> names = new ArrayList<>();
        subjects.path("subjects").forEach(s -> names.add(s.path("subject").asText()));
        assertThat(names).contains("cart.item_added", "order.completed");
        // The same registry as the standalone listener: one answer, two addresses.
        assertThat(JSON.readTree(get(pipeline.gatewayUrl() + "/v1/schemas/cart.item_added/latest").body()))
                .isEqualTo(JSON.readTree(get(pipeline.registryUrl() + "/schemas/cart.item_added/latest").body()));
        HttpResponse<String> confluent = get(pipeline.gatewayUrl() + "/v1/subjects/cart.item_added/versions");
        assertThat(confluent.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(JSON.readTree(confluent.body()).toString()).isEqualTo("[1,2,3]");

        HttpResponse<String> missing = get(pipeline.gatewayUrl() + "/v1/schemas/cart.item_added/99");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(missing.body()).path("detail").asText()).contains("Version 99");
    }

    @Test
    @Order(12)
    void anInvalidEventIsReplayedAfterItsSchemaIsFixedAndLandsExactlyOnce() throws Exception {
        // A client already sends cart.item_added v4 (an optional giftWrap flag); the registry has v1-v3.
        ObjectNode event = event(6);
        event.put("schemaVersion", 4);
        ObjectNode payload = event.putObject("payload");
        payload.put("productId", "product-6").put("quantity", 1).put("unitPrice", 5.5).put("currency", "EUR")
                .put("source", "ios").put("discount", 0).put("giftWrap", true);
        String id = event.path("eventId").asText();
        HttpResponse<String> rejected = postEvent(event.toString());
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(400);
        assertThat(rejected.body()).contains("version 4");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters?type=cart.item_added&reason=version").body())
                        .path("deadLetters").toString()).contains(id));

        String selection = "{\"eventIds\":[\"" + id + "\"]}";
        JsonNode before = JSON.readTree(replay(selection).body());
        assertThat(before.path("results").path(0).path("outcome").asText()).as(before.toString()).isEqualTo("still-invalid");
        assertThat(before.path("results").path(0).path("reason").asText()).contains("version 4");

        String v4 = "{\"subject\":\"cart.item_added\",\"schema\":{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                + "\"type\":\"object\",\"additionalProperties\":false,"
                + "\"required\":[\"productId\",\"quantity\",\"unitPrice\",\"currency\",\"source\",\"discount\"],"
                + "\"properties\":{\"productId\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64},"
                + "\"sku\":{\"type\":\"string\",\"maxLength\":64},\"category\":{\"type\":\"string\",\"maxLength\":64},"
                + "\"variantId\":{\"type\":\"string\",\"maxLength\":64},"
                + "\"quantity\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":999},"
                + "\"unitPrice\":{\"type\":\"number\",\"minimum\":0},\"discount\":{\"type\":\"number\",\"minimum\":0},"
                + "\"currency\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"},"
                + "\"source\":{\"type\":\"string\",\"enum\":[\"web\",\"ios\",\"android\",\"pos\"]},"
                + "\"giftWrap\":{\"type\":\"boolean\"}}},"
                + "\"migration\":{\"renames\":{},\"removes\":[],\"defaults\":{}},\"metadata\":{\"description\":\"v4: optional giftWrap\"}}";
        HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.gatewayUrl() + "/v1/schemas"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(v4)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(JSON.readTree(registered.body()).path("version").asInt()).isEqualTo(4);

        // The validators notice an unknown version again at most once a second: replay until the connector accepts.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode replayed = JSON.readTree(replay(selection).body());
            List<String> outcomes = new ArrayList<>();
            replayed.path("results").forEach(r -> outcomes.add(r.path("outcome").asText()));
            assertThat(outcomes).as(replayed.toString()).contains("accepted");
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                query("SELECT count() AS c FROM event_pipeline.events_raw FINAL WHERE event_id = '" + id + "'").get(0).path("c").asLong() == 1);

        // Replaying again is harmless: the connector's de-duplication answers duplicate, ClickHouse keeps one row.
        JsonNode again = JSON.readTree(replay(selection).body());
        again.path("results").forEach(r -> assertThat(r.path("outcome").asText()).as(again.toString()).isEqualTo("duplicate"));
        assertThat(again.path("count").asInt()).isPositive();
        Thread.sleep(3000); // what a second write would need to reach ClickHouse (the first took well under that)
        List<JsonNode> rows = query("SELECT schema_version, payload FROM event_pipeline.events_raw FINAL WHERE event_id = '" + id + "'");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("schema_version").asInt()).isEqualTo(4);
        assertThat(JSON.readTree(rows.get(0).path("payload").asText()).path("giftWrap").asBoolean()).isTrue();

        HttpResponse<String> empty = replay("{}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    @Order(13)
    void transientDeadLettersAreRetriedAutomatically() throws Exception {
        // What the events_raw sink writes to the DLQ when ClickHouse times out: the validated record, Connect's headers.
        ObjectNode event = event(8);
        event.put("schemaVersion", 3);
        ObjectNode payload = event.putObject("payload");
        payload.put("productId", "product-8").put("quantity", 2).put("unitPrice", 3.0).put("currency", "EUR")
                .put("source", "web").put("discount", 0);
        String id = event.path("eventId").asText();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", pipeline.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            var failed = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(Topics.DLQ, event.toString());
            failed.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_TOPIC, Topics.VALIDATED.getBytes());
            failed.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_STAGE, "TASK_PUT".getBytes());
            failed.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_CONNECTOR, "clickhouse-sink-raw".getBytes());
            failed.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_EXCEPTION_CLASS, "java.net.SocketTimeoutException".getBytes());
            failed.headers().add(dev.eventpipeline.contract.EventHeaders.ERROR_EXCEPTION_MESSAGE, "Read timed out".getBytes());
            producer.send(failed).get();
        }
        // The retrier puts it back on cart-events-validated after the backoff; the sink writes it this time.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                query("SELECT count() AS c FROM event_pipeline.events_raw FINAL WHERE event_id = '" + id + "'").get(0).path("c").asLong() == 1);
        JsonNode listed = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/deadletters?classification=transient&reason=Read").body());
        assertThat(listed.path("deadLetters").toString()).contains(id);
    }

    @Test
    @Order(20)
    void healthFlipsAndAnAlertFiresAndResolvesWhenRedisStopsAndRecovers() throws Exception {
        var redis = pipeline.redis().orElseThrow();
        redis.stop();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> health = get(pipeline.gatewayUrl() + "/v1/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(health.body()).path("notReadyBecause").toString()).contains("redis");
                JsonNode status = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/pipeline/status").body());
                assertThat(status.path("alerts").toString()).contains("\"id\":\"dependency-down:redis\"", "FIRING");
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(pipeline.gatewayUrl() + "/metrics").body())
                    .contains("pipeline_alerts_firing{rule=\"dependency-down\",subject=\"redis\"} 1.0"));
        } finally {
            restartedRedis = dev.eventpipeline.embedded.redis.RedisServer.start(workDir.resolve("redis"), redis.port());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get(pipeline.gatewayUrl() + "/v1/health").statusCode()).isEqualTo(200);
            JsonNode status = JSON.readTree(get(pipeline.gatewayUrl() + "/v1/pipeline/status").body());
            assertThat(status.path("alerts").toString()).doesNotContain("dependency-down:redis");
        });

        // Both transitions are records on the alerts topic and calls of the webhook.
        List<String> states = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", pipeline.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
            var tp = new org.apache.kafka.common.TopicPartition(Topics.ALERTS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if ("dependency-down:redis".equals(r.key())) {
                        JsonNode alert = JSON.readTree(r.value());
                        states.add(alert.path("state").asText());
                        assertThat(alert.path("message").asText()).contains("redis");
                    }
                }
                assertThat(states).containsExactly("FIRING", "RESOLVED");
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(WEBHOOK_CALLS.stream()
                .filter(c -> c.path("id").asText().equals("dependency-down:redis")).map(c -> c.path("state").asText()).toList())
                .containsExactly("FIRING", "RESOLVED"));
    }

    @Test
    @Order(15)
    void eventsCanBeSentThroughTheGatewayAndTheConnectorStillAnswers() throws Exception {
        String base = pipeline.gatewayUrl() + "/v1/events";
        ObjectNode event = event(2);
        HttpResponse<String> first = post(base, event.toString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode ack = JSON.readTree(first.body());
        assertThat(ack.path("status").asText()).isEqualTo("accepted");
        assertThat(ack.path("topic").asText()).isEqualTo(Topics.VALIDATED);
        assertThat(ack.path("offset").asLong()).isGreaterThanOrEqualTo(0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(JSON.readTree(post(base, event.toString()).body()).path("status").asText()).isEqualTo("duplicate"));

        ObjectNode invalid = event(3);
        ((ObjectNode) invalid.path("payload")).put("quantity", 0);
        HttpResponse<String> batch = post(base + "/batch", "[" + event(4) + "," + invalid + "]");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(207);
        JsonNode results = JSON.readTree(batch.body()).path("results");
        assertThat(results.path(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.path(1).path("status").asText()).isEqualTo("invalid");
        assertThat(results.path(1).path("reason").asText()).contains("quantity");

        HttpResponse<String> malformed = post(base, "{\"eventId\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("reason").asText()).containsIgnoringCase("malformed JSON");
        assertThat(get(base + "/stream").statusCode()).isEqualTo(426);

        // WebSocket: one frame out, the connector's ack frame back, through the gateway.
        java.util.concurrent.CompletableFuture<String> ackFrame = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(
                URI.create(pipeline.gatewayUrl().replace("http://", "ws://") + "/v1/events/stream"), new java.net.http.WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            ackFrame.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        ObjectNode overWs = event(5);
        ws.sendText(overWs.toString(), true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        JsonNode wsAck = JSON.readTree(ackFrame.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(wsAck.path("eventId").asText()).isEqualTo(overWs.path("eventId").asText());
        assertThat(wsAck.path("status").asText()).isEqualTo("accepted");
        ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);

        String overWsId = overWs.path("eventId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                query("SELECT count() AS c FROM event_pipeline.events_raw FINAL WHERE event_id = '" + overWsId + "'").get(0).path("c").asLong() == 1);

        // Latency histograms: the ack of each relayed request, and receipt to ClickHouse row (read from the rows).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = get(pipeline.gatewayUrl() + "/v1/metrics").body();
            assertThat(metrics).contains("pipeline_ingest_ack_latency_seconds_bucket{endpoint=\"/v1/events\",status=\"200\",le=",
                    "pipeline_end_to_end_latency_seconds_bucket{table=\"events_raw\",le=");
            java.util.regex.Matcher count = java.util.regex.Pattern
                    .compile("pipeline_end_to_end_latency_seconds_count\\{table=\"events_raw\"} (\\d+)").matcher(metrics);
            assertThat(count.find()).isTrue();
            assertThat(Long.parseLong(count.group(1))).isPositive();
        });
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
        // cart.item_added v1 (smt/registry shipped schemas)
        ObjectNode payload = e.putObject("payload");
        payload.put("productId", "product-" + n);
        payload.put("sku", "SKU-" + n);
        payload.put("quantity", n + 1);
        payload.put("price", 19.99);
        payload.put("currency", "EUR");
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

    static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> replay(String selection) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.gatewayUrl() + "/v1/deadletters/replay"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(selection)).build(), HttpResponse.BodyHandlers.ofString());
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
