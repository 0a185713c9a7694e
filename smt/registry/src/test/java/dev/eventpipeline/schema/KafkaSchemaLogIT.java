package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.schema.rest.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.eventpipeline.schema.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry on a real KRaft broker: durable in the compacted topic, rebuilt at start, followed at run time. */
@Tag("integration")
class KafkaSchemaLogIT {
    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
        redis = RedisServer.start(dir.resolve("redis"), PortCheck.freePort());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.SCHEMAS, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void serverRegistersShippedSchemasDurablyAndReadersFollowIt() throws Exception {
        SchemaRegistryServer.Settings settings = new SchemaRegistryServer.Settings(broker.bootstrapServers(), Topics.SCHEMAS,
                "127.0.0.1", 0, true, redis.url());
        // A read-only follower (what ValidateEvent uses) opened before anything is registered.
        try (SchemaRegistry follower = SchemaRegistry.open(new KafkaSchemaLog(broker.bootstrapServers(), Topics.SCHEMAS, Map.of(), false),
                Duration.ofSeconds(30))) {
            try (SchemaRegistryServer server = SchemaRegistryServer.start(settings)) {
                assertThat(server.registry().versions("cart.item_added")).hasSize(3);
                HttpClient http = HttpClient.newHttpClient();
                String body = "{\"subject\":\"cart.cleared\",\"schema\":" + server.registry().latest("cart.cleared").orElseThrow().schema()
                        .deepCopy().put("description", "v2").toString().replace("\"reason\":{", "\"channel\":{\"type\":\"string\"},\"reason\":{")
                        + ",\"metadata\":{\"description\":\"adds channel\"}}";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/schemas"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                JsonNode created = JsonMapper.get().readTree(r.body());
                assertThat(created.get("version").asInt()).isEqualTo(2);

                // the follower sees it after a refresh (what EventValidator does for an unknown version)
                follower.refresh(Duration.ofSeconds(10));
                assertThat(follower.version("cart.cleared", 2)).isPresent();
                assertThat(follower.versions("cart.item_added")).hasSize(3);

                // Redis mirror schema_cache:{subject}:{version}
                try (JedisPooled jedis = new JedisPooled("127.0.0.1", redis.port())) {
                    String cached = jedis.get(SchemaCacheWriter.key("cart.cleared", 2));
                    assertThat(cached).isNotNull();
                    assertThat(JsonMapper.get().readTree(cached).get("validationRules").get("version").asInt()).isEqualTo(2);
                    assertThat(jedis.get(SchemaCacheWriter.key("cart.item_added", 3))).isNotNull();
                }
                server.registry().updateMetadata("cart.item_added", 1, obj("{'deprecated':true}"));
                server.registry().setCompatibility("cart.viewed", Compatibility.FULL);
            }
            // A restarted server rebuilds everything from the topic and registers nothing twice.
            try (SchemaRegistryServer again = SchemaRegistryServer.start(settings)) {
                SchemaRegistry r = again.registry();
                assertThat(r.versions("cart.cleared")).hasSize(2);
                assertThat(r.versions("cart.item_added")).hasSize(3);
                assertThat(r.version("cart.item_added", 1).orElseThrow().deprecated()).isTrue();
                assertThat(r.compatibility("cart.viewed")).isEqualTo(Compatibility.FULL);
                assertThat(r.byId(r.latest("cart.cleared").orElseThrow().id())).isPresent();
                assertThat(r.versions("cart.cleared").get(1).metadata().get("description").asText()).isEqualTo("adds channel");
            }
        }
    }
}
