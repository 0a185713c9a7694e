package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enrichment in the embedded shape (issue #6): an event a client posts (valid under the shipped
 * schema, like examples/item-added.json) becomes an enriched record, a routed record and an
 * events_processed row with the enrichment columns filled (embedded twin in the launcher's JVM,
 * ClickHouse sink with its default fields.paths); a record the twin cannot read becomes an
 * events_errors row; and the Redis sink connector, deployed from its plugin archive through Connect
 * REST, writes the profile updates into user_profile:{userId}.
 */
@Tag("integration")
class EnrichmentPipelineIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path workDir;
    static EmbeddedPipeline pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        workDir = Files.createTempDirectory("pipeline-enrichment");
        PipelineSettings settings = TestPipelines.settings(workDir);
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
    void validatedEventIsEnrichedRoutedAndUpdatesTheProfileInRedis() throws Exception {
        assertThat(pipeline.connectors()).contains("redis-sink-user-profile");
        assertThat(pipeline.enrichment()).isPresent();
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.enrichment().get().state() == KafkaStreams.State.RUNNING);

        String user = "u-" + UUID.randomUUID();
        String session = "s-" + UUID.randomUUID();
        String occurredAt = Instant.now().toString();
        String order = "{\"eventId\":\"e-" + UUID.randomUUID() + "\",\"type\":\"order.completed\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"" + occurredAt + "\",\"userId\":\"" + user + "\",\"sessionId\":\"" + session + "\","
                + "\"storeId\":\"store-1\",\"payload\":{\"orderId\":\"o-1\",\"checkoutId\":\"k-1\","
                + "\"items\":[{\"productId\":\"A\",\"quantity\":2,\"unitPrice\":21.0}],\"subtotal\":42.0,\"tax\":7.98,"
                + "\"shipping\":0,\"total\":49.98,\"currency\":\"EUR\",\"paymentMethod\":\"card\"}}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.VALIDATED, session, order)).get();
        }

        Map<String, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        List<String> topics = List.of(Topics.ENRICHED, Topics.ROUTE_CHECKOUT_FUNNEL);
        topics.forEach(t -> out.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers(),
                "group.id", "it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(topics);
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.key().equals(session)) {
                        out.get(r.topic()).add(r);
                    }
                });
                return topics.stream().allMatch(t -> !out.get(t).isEmpty());
            });
        }
        JsonNode enriched = JSON.readTree(out.get(Topics.ENRICHED).get(0).value());
        assertThat(enriched.get("userId").asText()).isEqualTo(user);
        assertThat(enriched.at("/enrichment/cart/itemCount").asInt()).isEqualTo(2);
        assertThat(enriched.at("/enrichment/cart/valueEur").asDouble()).isEqualTo(42.0);
        assertThat(enriched.at("/enrichment/session/position").asLong()).isEqualTo(1);
        assertThat(enriched.at("/enrichment/meta/redisDegraded").asBoolean()).isFalse();
        assertThat(JSON.readTree(out.get(Topics.ROUTE_CHECKOUT_FUNNEL).get(0).value())).isEqualTo(enriched);

        // The Redis sink connector keeps the profile current: lastSeen and the purchase history
        // (count, last purchase, and the orders' totals that USER_PROFILE's lifetimeValue/segment come from).
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Map<String, String> profile = hgetAll(pipeline.redisUrl(), "user_profile:" + user);
            assertThat(profile).containsEntry("lastSeen", occurredAt)
                    .containsEntry("purchaseCount", "1")
                    .containsEntry("lastPurchaseAt", occurredAt)
                    .containsKey("purchaseHistory");
            assertThat(JSON.readTree(profile.get("purchaseHistory")))
                    .isEqualTo(JSON.readTree("[{\"orderId\":\"o-1\",\"total\":49.98,\"currency\":\"EUR\"}]"));
        });
    }

    @Test
    void aPostedEventIsEnrichedRoutedAndLandsInEventsProcessedWithItsEnrichment() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.enrichment().get().state() == KafkaStreams.State.RUNNING);
        String user = "u-" + UUID.randomUUID();
        String store = "store-" + UUID.randomUUID();
        String session = "s-" + UUID.randomUUID();
        // five orders in three currencies: 100 + 200 + 10.5 EUR, 50 USD (46 EUR), 80 GBP (93.60 EUR) = 450.10 EUR
        String history = "[{\"orderId\":\"o-1\",\"total\":100.0,\"currency\":\"EUR\"},"
                + "{\"orderId\":\"o-2\",\"total\":200.0,\"currency\":\"EUR\"},{\"orderId\":\"o-3\",\"total\":50.0,\"currency\":\"USD\"},"
                + "{\"orderId\":\"o-4\",\"total\":80.0,\"currency\":\"GBP\"},{\"orderId\":\"o-5\",\"total\":10.5,\"currency\":\"EUR\"}]";
        hset(pipeline.redisUrl(), "user_profile:" + user, Map.of("purchaseCount", "5", "lastSeen", "2026-11-20T08:00:00Z",
                "preferences", "{\"newsletter\":true}", "purchaseHistory", history));
        hset(pipeline.redisUrl(), "store_config:" + store, Map.of("timezone", "Europe/Berlin", "businessHours", "00:00-23:59",
                "settings", "{\"currency\":\"EUR\"}"));

        // examples/item-added.json (cart.item_added v3), then checkout.started v1: what a client sends
        Instant added = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(60);
        Instant checkout = added.plusSeconds(45);
        com.fasterxml.jackson.databind.node.ObjectNode item = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(Path.of("../../examples/item-added.json").toFile());
        String itemId = "e-" + UUID.randomUUID();
        item.put("eventId", itemId).put("occurredAt", added.toString()).put("userId", user).put("sessionId", session)
                .put("storeId", store);
        String checkoutId = "e-" + UUID.randomUUID();
        String checkoutEvent = "{\"eventId\":\"" + checkoutId + "\",\"type\":\"checkout.started\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"" + checkout + "\",\"userId\":\"" + user + "\",\"sessionId\":\"" + session + "\","
                + "\"storeId\":\"" + store + "\",\"payload\":{\"cartId\":\"c-1\",\"checkoutId\":\"k-1\",\"itemCount\":2,"
                + "\"subtotal\":39.98,\"currency\":\"EUR\"}}";
        for (String body : List.of(item.toString(), checkoutEvent)) {
            java.net.http.HttpResponse<String> ack = post(pipeline.ingestUrl() + "/events", body);
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(JSON.readTree(ack.body()).path("status").asText()).as(ack.body()).isEqualTo("accepted");
        }

        // enriched and routed (checkout funnel), keyed by the session
        Map<String, List<ConsumerRecord<String, String>>> out = consumeKeys(Set.of(session, store),
                Map.of(Topics.ENRICHED, 2, Topics.ROUTE_CHECKOUT_FUNNEL, 1, Topics.ROUTE_BY_STORE, 2));
        JsonNode enrichedItem = JSON.readTree(out.get(Topics.ENRICHED).get(0).value());
        assertThat(enrichedItem.get("eventId").asText()).isEqualTo(itemId);
        assertThat(enrichedItem.at("/payload/productId").asText()).isEqualTo("product-123");
        assertThat(enrichedItem.at("/payload/unitPrice").asDouble()).isEqualTo(19.99);
        assertThat(enrichedItem.at("/enrichment/cart/valueEur").asDouble()).isEqualTo(39.98);
        JsonNode enrichedCheckout = JSON.readTree(out.get(Topics.ENRICHED).get(1).value());
        assertThat(JSON.readTree(out.get(Topics.ROUTE_CHECKOUT_FUNNEL).get(0).value())).isEqualTo(enrichedCheckout);
        // per-store route: keyed by the store, value unchanged
        assertThat(out.get(Topics.ROUTE_BY_STORE)).extracting(ConsumerRecord::key).containsExactly(store, store);
        assertThat(JSON.readTree(out.get(Topics.ROUTE_BY_STORE).get(0).value())).isEqualTo(enrichedItem);

        // events_processed: one row per event, enrichment in real columns (default fields.paths)
        String ids = "'" + itemId + "','" + checkoutId + "'";
        List<JsonNode> rows = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            rows.clear();
            rows.addAll(query("SELECT * FROM event_pipeline.events_processed FINAL WHERE event_id IN (" + ids + ") ORDER BY occurred_at"));
            return rows.size() == 2;
        });
        JsonNode first = rows.get(0);
        assertThat(first.path("event_id").asText()).isEqualTo(itemId);
        assertThat(first.path("schema_version").asInt()).isEqualTo(3);
        assertThat(first.path("user_id").asText()).isEqualTo(user);
        assertThat(first.path("user_purchase_count").asInt()).isEqualTo(5);
        assertThat(first.path("user_lifetime_value").asDouble()).isEqualTo(450.1);
        assertThat(first.path("user_segment").asText()).isEqualTo("repeat");
        assertThat(first.path("user_last_seen").asText()).isEqualTo("2026-11-20 08:00:00");
        assertThat(JSON.readTree(first.path("user_preferences").asText())).isEqualTo(JSON.readTree("{\"newsletter\":\"true\"}"));
        assertThat(first.path("store_timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(first.path("store_local_time").asText()).isEqualTo(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(added.atZone(java.time.ZoneId.of("Europe/Berlin"))));
        assertThat(first.path("store_open_now").isNumber()).isTrue();
        assertThat(first.path("session_position").asInt()).isEqualTo(1);
        assertThat(first.path("session_started_at").asText()).isEqualTo(clickHouseTime(added));
        assertThat(first.path("ms_since_session_start").asLong()).isZero();
        assertThat(first.path("ms_since_previous_event").isNull()).isTrue();
        assertThat(first.path("cart_item_count").asInt()).isEqualTo(2);
        assertThat(first.path("cart_value").asDouble()).isEqualTo(39.98);
        assertThat(first.path("cart_value_change").asDouble()).isEqualTo(39.98);
        assertThat(first.path("currency").asText()).isEqualTo("EUR");
        assertThat(first.path("cart_value_eur").asDouble()).isEqualTo(39.98);
        assertThat(first.path("pipeline_version").asText()).isNotBlank();
        assertThat(first.path("enriched_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(first.path("redis_degraded").asInt()).isZero();
        JsonNode second = rows.get(1);
        assertThat(second.path("type").asText()).isEqualTo("checkout.started");
        assertThat(second.path("user_purchase_count").asInt()).isEqualTo(5);
        assertThat(second.path("user_segment").asText()).isEqualTo("repeat");
        assertThat(second.path("session_position").asInt()).isEqualTo(2);
        assertThat(second.path("ms_since_session_start").asLong()).isEqualTo(45_000);
        assertThat(second.path("ms_since_previous_event").asLong()).isEqualTo(45_000);
        assertThat(second.path("cart_item_count").asInt()).isEqualTo(2);
        assertThat(second.path("cart_value").asDouble()).isEqualTo(39.98);
        assertThat(second.path("cart_value_change").asDouble()).isZero();
    }

    @Test
    void aRecordTheEnrichmentCannotReadLandsInEventsErrors() throws Exception {
        String session = "s-" + UUID.randomUUID();
        String eventId = "e-" + UUID.randomUUID();
        String unreadable = "{\"eventId\":\"" + eventId + "\",\"type\":\"cart.item_added\",\"schemaVersion\":3,"
                + "\"occurredAt\":\"" + Instant.now() + "\",\"userId\":\"u-1\",\"sessionId\":\"" + session + "\","
                + "\"storeId\":\"store-1\",\"payload\":{\"productId\":\"p\",\"quantity\":\"two\",\"unitPrice\":1.0,"
                + "\"currency\":\"EUR\",\"source\":\"web\",\"discount\":0}}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.VALIDATED, session, unreadable)).get();
        }
        List<JsonNode> rows = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            rows.clear();
            rows.addAll(query("SELECT * FROM event_pipeline.events_errors FINAL WHERE event_id = '" + eventId + "'"));
            return !rows.isEmpty();
        });
        JsonNode row = rows.get(0);
        assertThat(row.path("error_stage").asText()).isEqualTo(dev.eventpipeline.contract.EventHeaders.STAGE_ENRICHMENT_READ);
        assertThat(row.path("error_reason").asText()).endsWith("/payload/quantity: not an INT: \"two\"");
        assertThat(row.path("error_source_topic").asText()).isEqualTo(Topics.VALIDATED);
        assertThat(row.path("error_connector").asText()).isEqualTo(dev.eventpipeline.ksql.EnrichmentRuntime.APPLICATION_ID);
        assertThat(row.path("original_payload").asText()).isEqualTo(unreadable);
        assertThat(pipeline.enrichment().get().deadLetters().get(dev.eventpipeline.contract.EventHeaders.STAGE_ENRICHMENT_READ))
                .isGreaterThanOrEqualTo(1);
        // counted in the gateway's Prometheus metrics too
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(pipeline.gatewayUrl() + "/v1/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body())
                        .containsPattern("enrichment_dead_letters_records\\{stage=\"enrichment_read\"} [1-9]"));
    }

    static String clickHouseTime(Instant instant) {
        return instant.toString().replace('T', ' ').replace("Z", "");
    }

    /** Records of the given topics whose key is one of {@code keys}, until each topic has the expected count. */
    static Map<String, List<ConsumerRecord<String, String>>> consumeKeys(Set<String> keys, Map<String, Integer> expected) {
        Map<String, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        expected.keySet().forEach(t -> out.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers(),
                "group.id", "it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(expected.keySet());
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (keys.contains(r.key())) {
                        out.get(r.topic()).add(r);
                    }
                });
                return expected.entrySet().stream().allMatch(e -> out.get(e.getKey()).size() >= e.getValue());
            });
        }
        return out;
    }

    static java.net.http.HttpResponse<String> post(String url, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> query(String sql) throws Exception {
        String url = pipeline.clickHouseUrl() + "/?query=" + java.net.URLEncoder.encode(sql + " FORMAT JSONEachRow", StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> resp = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : resp.body().split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    /** HSET over RESP, so the test needs no Redis client of its own. */
    static void hset(String redisUrl, String key, Map<String, String> fields) throws IOException {
        java.net.URI uri = java.net.URI.create(redisUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            List<String> args = new ArrayList<>(List.of("HSET", key));
            fields.forEach((k, v) -> {
                args.add(k);
                args.add(v);
            });
            StringBuilder cmd = new StringBuilder("*" + args.size() + "\r\n");
            for (String a : args) {
                cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = line(socket.getInputStream());
            if (!reply.startsWith(":")) {
                throw new IOException("HSET failed: " + reply);
            }
        }
    }

    /** HGETALL over RESP, so the test needs no Redis client of its own. */
    static Map<String, String> hgetAll(String redisUrl, String key) throws IOException {
        java.net.URI uri = java.net.URI.create(redisUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.write(("*2\r\n$7\r\nHGETALL\r\n$" + k.length + "\r\n" + key + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = line(in);
            int n = Integer.parseInt(header.substring(1));
            Map<String, String> result = new HashMap<>();
            for (int i = 0; i < n / 2; i++) {
                String field = bulk(in);
                result.put(field, bulk(in));
            }
            return result;
        }
    }

    private static String bulk(InputStream in) throws IOException {
        int len = Integer.parseInt(line(in).substring(1));
        byte[] data = in.readNBytes(len + 2);
        return new String(data, 0, len, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }
}
