package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.gateway.status.ConnectorState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
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
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ClickHouse sink inside a real distributed Connect worker (loaded from plugin.path), against
 * real Kafka and real ClickHouse 18.16: the three tables, the worker's dead-letter queue with
 * Connect's error headers, redelivery after an offset reset, a ClickHouse outage while events
 * flow, schema drift, and the task's metrics in JMX.
 *
 * <p>The main connector runs with {@code insert.pipelining=true} (the e2e test and the unit/task ITs
 * cover the default synchronous writer); a second one, {@value #STREAM}, reads the same events with
 * {@code insert.streaming=true} into its own database and goes through the same dead-letter, redelivery,
 * schema-drift and outage checks. The outage lasts 15 s by default so the suite stays short; {@code -Dsink.outage.seconds=60}
 * runs the 60-second one from the issue.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SinkConnectWorkerIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String EVENTS = "sink-it-events";
    static final String ENRICHED = "sink-it-enriched";
    static final String DLQ = "sink-it-dlq";
    static final String DB = "sink_it";
    static final String MAIN = "sink-it-main";
    static final String ERRORS = "sink-it-errors";
    static final String STREAM = "sink-it-stream";
    static final String STREAM_DB = "sink_it_stream";
    static final String STREAM_DLQ = "sink-it-stream-dlq";

    static Path workDir;
    static EmbeddedPipeline pipeline;
    static ClickHouseServer restartedClickHouse;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception {
        workDir = Files.createTempDirectory("sink-it");
        PipelineSettings settings = TestPipelines.settings(workDir);
        pipeline = EmbeddedPipeline.start(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(EVENTS, 2, (short) 1), new NewTopic(ENRICHED, 1, (short) 1),
                    new NewTopic(DLQ, 1, (short) 1), new NewTopic(STREAM_DLQ, 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", pipeline.bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "5");
        producer = new KafkaProducer<>(p);

        Map<String, String> main = new HashMap<>(Map.of(
                "connector.class", "dev.eventpipeline.sink.clickhouse.ClickHouseSinkConnector",
                "tasks.max", "1",
                "topics", EVENTS + "," + ENRICHED,
                "clickhouse.url", pipeline.clickHouseUrl(),
                "clickhouse.database", DB,
                "topics.tables", EVENTS + ":events_raw," + ENRICHED + ":events_processed",
                "batch.max.wait.ms", "200",
                "schema.refresh.interval.ms", "1000",
                "retry.backoff.max.ms", "2000",
                "insert.pipelining", "true")); // the pipelined writer under outage, DLQ and redelivery
        main.putAll(Map.of(
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", DLQ,
                "errors.deadletterqueue.context.headers.enable", "true",
                "errors.deadletterqueue.topic.replication.factor", "1",
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.storage.StringConverter"));
        putConnector(MAIN, main);
        Map<String, String> stream = new HashMap<>(main);
        stream.putAll(Map.of(
                "topics", EVENTS,
                "topics.tables", EVENTS + ":events_raw",
                "clickhouse.database", STREAM_DB,
                "insert.pipelining", "false",
                "insert.streaming", "true",
                // INSERTs end at the worker's offset commits (every second here): one is open when ClickHouse stops
                "batch.max.wait.ms", "60000",
                "errors.deadletterqueue.topic.name", STREAM_DLQ));
        putConnector(STREAM, stream);
        putConnector(ERRORS, Map.of(
                "connector.class", "dev.eventpipeline.sink.clickhouse.ClickHouseSinkConnector",
                "tasks.max", "1",
                "topics", DLQ,
                "clickhouse.url", pipeline.clickHouseUrl(),
                "clickhouse.database", DB,
                "topics.tables", DLQ + ":events_errors",
                "batch.max.wait.ms", "200",
                "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"));
        new ConnectorStatusWatcher(pipeline.connectUrl()).awaitRunning(List.of(MAIN, STREAM, ERRORS), Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws IOException {
        if (producer != null) {
            producer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (restartedClickHouse != null) {
            restartedClickHouse.stop();
        }
        PluginInstaller.deleteRecursively(workDir);
    }

    static void putConnector(String name, Map<String, String> config) throws Exception {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.connectUrl() + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isBetween(200, 201);
    }

    static HttpResponse<String> rest(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.connectUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String clickHouseUrl() {
        return restartedClickHouse != null ? restartedClickHouse.url() : pipeline.clickHouseUrl();
    }

    static List<JsonNode> query(String sql) throws Exception {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(clickHouseUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql + " FORMAT JSONEachRow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : resp.body().split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    static long count(String sql) throws Exception {
        List<JsonNode> rows = query(sql);
        return rows.isEmpty() ? 0 : rows.get(0).elements().next().asLong();
    }

    static void exec(String sql) throws Exception {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(clickHouseUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    }

    static ObjectNode event(String id) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", id);
        e.put("type", "cart.item_added");
        e.put("schemaVersion", 1);
        e.put("occurredAt", "2026-11-27T08:00:00Z");
        e.put("userId", "u-1");
        e.put("sessionId", "s-1");
        e.put("storeId", "store-1");
        e.putObject("payload").put("sku", "A-1").put("quantity", 1);
        return e;
    }

    static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    @Test
    @Order(1)
    void everyTableGetsItsRowsAndABadRecordGoesToTheDeadLetterQueueWithHeaders() throws Exception {
        for (int i = 0; i < 5; i++) {
            ObjectNode e = event("a-" + i);
            if (i == 2) {
                e.put("schemaVersion", "two"); // bad type: dead letter, neighbours written
            }
            send(EVENTS, "k", e.toString());
        }
        ObjectNode enriched = event("p-1");
        enriched.putObject("enrichment").putObject("cart").put("itemCount", 3).put("currency", "EUR");
        send(ENRICHED, "k", enriched.toString());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                count("SELECT count() FROM " + DB + ".events_raw FINAL WHERE event_id LIKE 'a-%'") == 4
                        && count("SELECT count() FROM " + STREAM_DB + ".events_raw FINAL WHERE event_id LIKE 'a-%'") == 4
                        && count("SELECT count() FROM " + DB + ".events_processed FINAL") == 1
                        && count("SELECT count() FROM " + DB + ".events_errors FINAL") == 1);

        for (String db : List.of(DB, STREAM_DB)) {
            assertThat(query("SELECT event_id FROM " + db + ".events_raw FINAL WHERE event_id LIKE 'a-%' ORDER BY event_id"))
                    .extracting(r -> r.path("event_id").asText()).containsExactly("a-0", "a-1", "a-3", "a-4");
        }
        JsonNode processed = query("SELECT * FROM " + DB + ".events_processed FINAL").get(0);
        assertThat(processed.path("cart_item_count").asInt()).isEqualTo(3);
        assertThat(processed.path("currency").asText()).isEqualTo("EUR");

        // the dead letter in Kafka, with Connect's error headers (the streaming connector's in its own topic)
        assertDeadLetter(DLQ, MAIN);
        assertDeadLetter(STREAM_DLQ, STREAM);

        // ... and in events_errors
        JsonNode error = query("SELECT * FROM " + DB + ".events_errors FINAL").get(0);
        assertThat(error.path("event_id").asText()).isEqualTo("a-2");
        assertThat(error.path("error_stage").asText()).isEqualTo("TASK_PUT");
        assertThat(error.path("error_connector").asText()).isEqualTo(MAIN);
        assertThat(error.path("error_source_topic").asText()).isEqualTo(EVENTS);
        assertThat(error.path("error_exception_message").asText()).contains("column schema_version");
        assertThat(error.path("error_reason").asText()).contains("column schema_version");
        assertThat(JSON.readTree(error.path("original_payload").asText()).path("schemaVersion").asText()).isEqualTo("two");
    }

    static void assertDeadLetter(String topic, String connector) throws Exception {
        Map<String, String> headers = new HashMap<>();
        String value;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                pipeline.bootstrapServers(), "group.id", "sink-it-reader-" + topic, "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertThat(got).as(topic).hasSize(1);
            value = got.get(0).value();
            for (Header h : got.get(0).headers()) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        assertThat(JSON.readTree(value).path("eventId").asText()).isEqualTo("a-2");
        assertThat(headers).containsEntry(EventHeaders.ERROR_TOPIC, EVENTS)
                .containsEntry(EventHeaders.ERROR_CONNECTOR, connector)
                .containsEntry(EventHeaders.ERROR_STAGE, "TASK_PUT")
                .containsEntry(EventHeaders.ERROR_EXCEPTION_CLASS, "org.apache.kafka.connect.errors.DataException");
        assertThat(headers.get(EventHeaders.ERROR_EXCEPTION_MESSAGE)).contains("column schema_version").contains("\"two\"");
    }

    @Test
    @Order(2)
    void metricsArePublishedPerTaskInJmx() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + MAIN + ",*"), null);
        assertThat(names).as("plugin metrics MBeans of " + MAIN).isNotEmpty();
        ObjectName name = names.iterator().next();
        assertThat(((Number) jmx.getAttribute(name, "rows-written-total")).doubleValue()).isGreaterThanOrEqualTo(5);
        assertThat(((Number) jmx.getAttribute(name, "dead-letter-records-total")).doubleValue()).isEqualTo(1);
        assertThat(jmx.getAttribute(name, "insert-latency-avg-ms")).isNotNull();
        assertThat(jmx.getAttribute(name, "batch-size-avg")).isNotNull();
        assertThat(jmx.getAttribute(name, "retries-total")).isNotNull();
    }

    @Test
    @Order(3)
    void redeliveryAfterATaskRestartLeavesOneRowPerEventId() throws Exception {
        for (String connector : List.of(MAIN, STREAM)) {
            // rewind the connector to the beginning (KIP-875): everything is delivered again
            assertThat(rest("PUT", "/connectors/" + connector + "/stop").statusCode()).isBetween(200, 204);
            await().atMost(Duration.ofSeconds(30)).until(() -> rest("GET", "/connectors/" + connector + "/status").body().contains("STOPPED"));
            HttpResponse<String> reset = rest("DELETE", "/connectors/" + connector + "/offsets");
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            assertThat(rest("PUT", "/connectors/" + connector + "/resume").statusCode()).isBetween(200, 204);
            new ConnectorStatusWatcher(pipeline.connectUrl()).awaitRunning(List.of(connector), Duration.ofSeconds(60));

            // the new task wrote everything again (its metrics start from zero) and committed up to the end
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    rowsWrittenByTask(connector) >= (connector.equals(MAIN) ? 5 : 4) && committed(connector, EVENTS) == 5);
        }
        assertThat(count("SELECT count() FROM " + DB + ".events_processed FINAL")).isEqualTo(1);
        for (String db : List.of(DB, STREAM_DB)) {
            assertThat(count("SELECT count() FROM " + db + ".events_raw FINAL WHERE event_id LIKE 'a-%'")).isEqualTo(4);
            exec("OPTIMIZE TABLE " + db + ".events_raw FINAL");
            assertThat(count("SELECT count() FROM " + db + ".events_raw WHERE event_id LIKE 'a-%'")).isEqualTo(4);
            assertThat(count("SELECT uniqExact(event_id) FROM " + db + ".events_raw")).isEqualTo(count("SELECT count() FROM " + db + ".events_raw"));
        }
    }

    static double rowsWrittenByTask(String connector) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",*"), null);
        double total = 0;
        for (ObjectName name : names) {
            total += ((Number) jmx.getAttribute(name, "rows-written-total")).doubleValue();
        }
        return total;
    }

    /** Sum of the connector's committed offsets on a topic (Connect REST, KIP-875). */
    static long committed(String connector, String topic) throws Exception {
        JsonNode offsets = JSON.readTree(rest("GET", "/connectors/" + connector + "/offsets").body()).path("offsets");
        long sum = 0;
        for (JsonNode o : offsets) {
            if (o.path("partition").path("kafka_topic").asText().equals(topic)) {
                sum += o.path("offset").path("kafka_offset").asLong();
            }
        }
        return sum;
    }

    @Test
    @Order(4)
    void aColumnAddedToTheTableIsFilledWithoutRestart() throws Exception {
        exec("ALTER TABLE " + DB + ".events_raw ADD COLUMN coupon_code Nullable(String)");
        exec("ALTER TABLE " + STREAM_DB + ".events_raw ADD COLUMN coupon_code Nullable(String)");
        Thread.sleep(1500); // > schema.refresh.interval.ms
        ObjectNode e = event("c-1");
        e.put("couponCode", "XMAS");
        send(EVENTS, "k", e.toString());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                count("SELECT count() FROM " + DB + ".events_raw WHERE event_id = 'c-1'") == 1
                        && count("SELECT count() FROM " + STREAM_DB + ".events_raw WHERE event_id = 'c-1'") == 1);
        for (String db : List.of(DB, STREAM_DB)) {
            assertThat(query("SELECT coupon_code FROM " + db + ".events_raw WHERE event_id = 'c-1'").get(0)
                    .path("coupon_code").asText()).isEqualTo("XMAS");
        }
    }

    @Test
    @Order(5)
    void clickHouseOutageWhileEventsFlowLosesNothing() throws Exception {
        int outageSeconds = Integer.getInteger("sink.outage.seconds", 15);
        ClickHouseServer clickHouse = pipeline.clickHouse().orElseThrow();
        long sent = 0;
        // events flow before the outage too, so ClickHouse dies under open (streamed) and in-flight INSERTs
        for (boolean down : new boolean[]{false, true}) {
            if (down) {
                clickHouse.kill(); // SIGKILL: INSERTs in flight and streamed INSERTs still open break off
            }
            long until = System.currentTimeMillis() + (down ? outageSeconds * 1000L : 3000);
            while (System.currentTimeMillis() < until) {
                for (int i = 0; i < 50; i++) {
                    send(EVENTS, "k" + (sent % 7), event("o-" + sent).toString());
                    sent++;
                }
                Thread.sleep(250);
            }
        }
        restartedClickHouse = ClickHouseServer.start(clickHouse.workDir(), clickHouse.httpPort(), clickHouse.tcpPort());
        long expected = sent;

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                count("SELECT count() FROM " + DB + ".events_raw FINAL WHERE event_id LIKE 'o-%'") == expected
                        && count("SELECT count() FROM " + STREAM_DB + ".events_raw FINAL WHERE event_id LIKE 'o-%'") == expected);
        for (String connector : List.of(MAIN, STREAM)) {
            JsonNode status = JSON.readTree(rest("GET", "/connectors/" + connector + "/status").body());
            assertThat(ConnectorState.parse(status).isRunning()).as(status.toString()).isTrue();
        }
        assertThat(expected).isGreaterThan(100);
    }
}
