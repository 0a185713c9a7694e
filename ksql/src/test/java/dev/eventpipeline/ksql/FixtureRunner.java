package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.lookup.InMemoryHashSource;
import dev.eventpipeline.udfs.lookup.Lookups;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Runs one ksql-test-runner fixture ({@code input.json} → records of every output topic) through the
 * embedded twin with TopologyTestDriver, Redis replaced by an in-memory store seeded from
 * {@code fixtures/redis-seed.json}, functions configured from {@code fixtures/fixture.properties}.
 */
final class FixtureRunner {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path FIXTURES = Path.of("fixtures");
    static final List<String> OUTPUT_TOPICS;

    static {
        List<String> topics = new ArrayList<>();
        topics.add(Topics.ENRICHED);
        topics.addAll(Topics.ENRICHMENT_OUTPUTS);
        OUTPUT_TOPICS = List.copyOf(topics);
    }

    private FixtureRunner() {
    }

    static Map<String, Object> functionConfig(String memoryName) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(FIXTURES.resolve("fixture.properties"))) {
            p.load(in);
        }
        Map<String, Object> config = new HashMap<>();
        p.forEach((k, v) -> config.put(k.toString(), v));
        config.put(FunctionConfig.REDIS_URL, "memory:" + memoryName);
        InMemoryHashSource redis = Lookups.memory(memoryName);
        JsonNode seed = JSON.readTree(FIXTURES.resolve("redis-seed.json").toFile());
        seed.properties().forEach(e -> {
            Map<String, String> fields = new HashMap<>();
            e.getValue().properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
            redis.put(e.getKey(), fields);
        });
        return config;
    }

    /** The output records of the fixture, in ksql-test-runner's output format, grouped by topic in topic order. */
    static ArrayNode run(Path fixtureDir) throws IOException {
        String memory = "fixture-" + UUID.randomUUID();
        try {
            Map<String, Object> config = functionConfig(memory);
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fixture");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("fixture-state").toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(new EnrichmentTopology(config).build(), props)) {
                TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.VALIDATED,
                        new StringSerializer(), new ByteArraySerializer());
                for (JsonNode record : JSON.readTree(fixtureDir.resolve("input.json").toFile()).get("inputs")) {
                    JsonNode value = record.get("value");
                    byte[] bytes = value == null || value.isNull() ? null : JSON.writeValueAsBytes(value);
                    in.pipeInput(new TestRecord<>(record.path("key").isNull() ? null : record.path("key").asText(),
                            bytes, Instant.ofEpochMilli(record.get("timestamp").asLong())));
                }
                ArrayNode outputs = JSON.createArrayNode();
                for (String topic : OUTPUT_TOPICS) {
                    TestOutputTopic<String, byte[]> out = driver.createOutputTopic(topic,
                            new StringDeserializer(), new ByteArrayDeserializer());
                    for (TestRecord<String, byte[]> r : out.readRecordsToList()) {
                        ObjectNode o = outputs.addObject();
                        o.put("topic", topic);
                        o.put("key", r.key());
                        o.set("value", r.value() == null ? null : JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)));
                        o.put("timestamp", r.timestamp());
                    }
                }
                return outputs;
            }
        } finally {
            Lookups.dropMemory(memory);
        }
    }

    static void write(Path file, JsonNode node) throws IOException {
        Files.writeString(file, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node) + "\n");
    }
}
