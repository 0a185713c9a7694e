package dev.eventpipeline.smt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.connect.ConnectWorker;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.KafkaSchemaLog;
import dev.eventpipeline.schema.Migration;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both transforms on the real event-source connector in a real distributed Connect worker (plugins
 * loaded from plugin.path, each archive in its own class loader), a real KRaft broker and a real
 * Redis: the client's HTTP answer and the topics are checked.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransformsConnectIT {
    static final long TTL_MS = 6_000;

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static RedisServer redis;
    static int redisPort;
    static ConnectWorker worker;
    static SchemaRegistry registry;
    static DedupStore marks;
    static int ingestPort;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
        redisPort = PortCheck.freePort();
        redis = RedisServer.start(dir.resolve("redis"), redisPort);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(Topics.RAW, 1, (short) 1),
                    new NewTopic(Topics.VALIDATED, 2, (short) 1),
                    new NewTopic(Topics.DLQ, 1, (short) 1),
                    new NewTopic(Topics.SCHEMAS, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
        registry = SchemaRegistry.open(new KafkaSchemaLog(broker.bootstrapServers(), Topics.SCHEMAS, Map.of(), true), Duration.ofSeconds(30));
        ShippedSchemas.registerAll(registry);
        marks = new DedupStore(redis.url(), 1000, 1000, 1000);

        Path plugins = dir.resolve("plugins");
        Files.createDirectories(plugins);
        unzip(Path.of(System.getProperty("plugin.archive")), plugins);
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(Path.of(System.getProperty("it.archives")), "*.zip")) {
            for (Path zip : zips) {
                unzip(zip, plugins);
            }
        }
        worker = ConnectWorker.start(broker.bootstrapServers(), "127.0.0.1", PortCheck.freePort(), plugins, Map.of(),
                Duration.ofSeconds(120));
        ingestPort = PortCheck.freePort();
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.eventpipeline.ingest.EventSourceConnector");
        config.put("tasks.max", "1");
        config.put("topic", Topics.RAW);
        config.put("listener.host", "127.0.0.1");
        config.put("listener.port", String.valueOf(ingestPort));
        config.put("errors.tolerance", "none");
        config.put("transforms", "validate,dedup");
        config.put("transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent");
        config.put("transforms.validate.registry.bootstrap.servers", broker.bootstrapServers());
        config.put("transforms.dedup.type", "dev.eventpipeline.smt.DeduplicateEvent");
        config.put("transforms.dedup.predicate", "isValidated");
        config.put("transforms.dedup.redis.url", redis.url());
        config.put("transforms.dedup.dedup.ttl.ms", String.valueOf(TTL_MS));
        config.put("transforms.dedup.redis.timeout.ms", "300");
        config.put("transforms.dedup.redis.retry.backoff.ms", "300");
        config.put("transforms.dedup.confirm.bootstrap.servers", broker.bootstrapServers());
        // As shipped: the task marks events in Redis at admission, the transform decides from the header.
        config.put("poll.batch.hook.class", "dev.eventpipeline.ingest.hooks.DedupPreMarker");
        config.put("predicates", "isValidated");
        config.put("predicates.isValidated.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        config.put("predicates.isValidated.pattern", Topics.VALIDATED);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(worker.restUrl() + "/connectors/event-source/config"))
                .PUT(HttpRequest.BodyPublishers.ofString(JsonMapper.get().writeValueAsString(config)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> s = http.send(HttpRequest.newBuilder(URI.create(worker.restUrl() + "/connectors/event-source/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(s.body()).contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"");
            assertThat(PortCheck.isListening("127.0.0.1", ingestPort)).isTrue();
        });
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (marks != null) {
            marks.close();
        }
        if (redis != null) {
            redis.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void validEventIsWrittenToTheValidatedTopic() throws Exception {
        String id = UUID.randomUUID().toString();
        JsonNode ack = post(event("order-completed.json", id));
        assertThat(ack.get("status").asText()).as(ack.toString()).isEqualTo("accepted");
        assertThat(ack.get("topic").asText()).isEqualTo(Topics.VALIDATED);
        ConsumerRecord<String, String> rec = find(Topics.VALIDATED, r -> header(r, ErrorHeaders.EVENT_ID).equals(id));
        assertThat(rec.value()).contains(id);
        assertThat(header(rec, ErrorHeaders.DEDUP_HASH)).isEqualTo(DedupKeys.hashOfId(id));
    }

    @Test
    @Order(2)
    void invalidEventEndsInTheDlqWithReasonHeaders() throws Exception {
        String id = UUID.randomUUID().toString();
        String json = event("item-added-invalid.json", id);
        JsonNode ack = post(json);
        assertThat(ack.get("topic").asText()).as(ack.toString()).isEqualTo(Topics.DLQ);
        ConsumerRecord<String, String> rec = find(Topics.DLQ, r -> r.value().contains(id));
        assertThat(rec.value()).isEqualTo(json);
        assertThat(header(rec, EventHeaders.ERROR_EXCEPTION_MESSAGE)).contains("/payload/quantity").contains("cart.item_added v3");
        assertThat(header(rec, ErrorHeaders.JSON_POINTERS)).contains("/payload/quantity").contains("/payload/currency");
        assertThat(header(rec, ErrorHeaders.SCHEMA_SUBJECT)).isEqualTo("cart.item_added");
        assertThat(header(rec, ErrorHeaders.SCHEMA_VERSION)).isEqualTo("3");
        assertThat(header(rec, EventHeaders.ERROR_STAGE)).isEqualTo("TRANSFORMATION");
        assertThat(header(rec, EventHeaders.ERROR_TOPIC)).isEqualTo(Topics.RAW);
        assertThat(header(rec, ErrorHeaders.DEDUP_HASH)).as("the predicate keeps DLQ records out of de-duplication").isEmpty();
    }

    @Test
    @Order(3)
    void duplicateWithinTheTtlIsFilteredAndAcceptedAfterIt() throws Exception {
        String id = UUID.randomUUID().toString();
        String json = event("cart-viewed.json", id);
        assertThat(post(json).get("status").asText()).isEqualTo("accepted");
        awaitConfirmed(id);
        JsonNode dup = post(json);
        assertThat(dup.get("status").asText()).as(dup.toString()).isEqualTo("duplicate");
        Thread.sleep(TTL_MS + 500);
        JsonNode again = post(json);
        assertThat(again.get("status").asText()).as(again.toString()).isEqualTo("accepted");
        List<ConsumerRecord<String, String>> copies = all(Topics.VALIDATED, r -> header(r, ErrorHeaders.EVENT_ID).equals(id), 2);
        assertThat(copies).hasSize(2);
    }

    @Test
    @Order(4)
    void aSchemaVersionRegisteredAtRunTimeIsUsedWithoutRestart() throws Exception {
        ObjectNode v2 = registry.latest("cart.cleared").orElseThrow().schema().deepCopy();
        ((ObjectNode) v2.get("properties")).putObject("channel").put("type", "string").putArray("enum").add("web").add("app");
        ObjectNode props = (ObjectNode) v2.get("properties");
        v2.withArray("required").add("channel");
        Migration m = new Migration(Map.of(), List.of(), Map.of("channel", JsonMapper.get().getNodeFactory().textNode("web")));
        assertThat(props.has("channel")).isTrue();

        String v2Id = UUID.randomUUID().toString();
        ObjectNode v2Event = (ObjectNode) JsonMapper.get().readTree(event("cart-cleared.json", v2Id));
        v2Event.put("schemaVersion", 2);
        ((ObjectNode) v2Event.get("payload")).put("channel", "app");
        // before registration: unknown version -> DLQ
        JsonNode before = post(v2Event.toString());
        assertThat(before.get("topic").asText()).isEqualTo(Topics.DLQ);

        registry.register("cart.cleared", v2, m, null);
        String retryId = UUID.randomUUID().toString();
        v2Event.put("eventId", retryId);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1200)).untilAsserted(() -> {
            v2Event.put("eventId", UUID.randomUUID().toString());
            assertThat(post(v2Event.toString()).get("topic").asText()).isEqualTo(Topics.VALIDATED);
        });

        String v1Id = UUID.randomUUID().toString();
        assertThat(post(event("cart-cleared.json", v1Id)).get("topic").asText()).isEqualTo(Topics.VALIDATED);
        ConsumerRecord<String, String> upgraded = find(Topics.VALIDATED, r -> header(r, ErrorHeaders.EVENT_ID).equals(v1Id));
        JsonNode value = JsonMapper.get().readTree(upgraded.value());
        assertThat(value.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(value.get("originalSchemaVersion").asInt()).isEqualTo(1);
        assertThat(value.get("payload").get("channel").asText()).isEqualTo("web");
        assertThat(header(upgraded, ErrorHeaders.ORIGINAL_SCHEMA_VERSION)).isEqualTo("1");
    }

    @Test
    @Order(5)
    void redisStoppedMidRunFailsOpenAndDedupResumesWhenItReturns() throws Exception {
        redis.stop();
        String during = UUID.randomUUID().toString();
        JsonNode ack = post(event("checkout-started.json", during));
        assertThat(ack.get("status").asText()).as(ack.toString()).isEqualTo("accepted");
        assertThat(ack.get("topic").asText()).isEqualTo(Topics.VALIDATED);

        redis = RedisServer.start(dir.resolve("redis"), redisPort);
        String after = UUID.randomUUID().toString();
        String json = event("checkout-started.json", after);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(post(json).get("status").asText()).isIn("accepted", "duplicate");
            assertThat(marks.get(DedupKeys.hashOfId(after))).contains("confirmed");
        });
        assertThat(post(json).get("status").asText()).isEqualTo("duplicate");
    }

    // ------------------------------------------------------------------ helpers

    static String event(String example, String eventId) throws Exception {
        ObjectNode e = (ObjectNode) JsonMapper.get().readTree(Examples.example(example));
        e.put("eventId", eventId);
        return JsonMapper.get().writeValueAsString(e);
    }

    static JsonNode post(String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/events"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return JsonMapper.get().readTree(r.body());
    }

    static void awaitConfirmed(String eventId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> String.valueOf(marks.get(DedupKeys.hashOfId(eventId))).contains("confirmed"));
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    static ConsumerRecord<String, String> find(String topic, Predicate<ConsumerRecord<String, String>> match) {
        return all(topic, match, 1).get(0);
    }

    static List<ConsumerRecord<String, String>> all(String topic, Predicate<ConsumerRecord<String, String>> match, int atLeast) {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(),
                "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class,
                "enable.auto.commit", false);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            List<ConsumerRecord<String, String>> found = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                    if (match.test(r)) {
                        found.add(r);
                    }
                }
            }
            assertThat(found).as("records in " + topic).hasSizeGreaterThanOrEqualTo(atLeast);
            return found;
        }
    }

    static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

}
