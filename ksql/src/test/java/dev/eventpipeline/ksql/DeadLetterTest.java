package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.udfs.ksql.CartFeaturesUdf;
import dev.eventpipeline.udfs.lookup.Lookups;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing silent: what the twin cannot read or enrich goes to the DLQ with the pipeline's error headers, counted. */
class DeadLetterTest {
    static final String GOOD = "{\"eventId\":\"e-1\",\"type\":\"cart.item_added\",\"schemaVersion\":3,\"occurredAt\":\"2026-11-27T08:00:00Z\","
            + "\"userId\":\"u-1\",\"sessionId\":\"s-1\",\"storeId\":\"store-berlin\",\"payload\":{\"productId\":\"p\",\"quantity\":1,"
            + "\"unitPrice\":10.0,\"currency\":\"EUR\",\"source\":\"web\",\"discount\":0}}";

    String memory;
    Map<String, Object> config;

    @BeforeEach
    void seed() throws Exception {
        memory = "dlq-" + UUID.randomUUID();
        config = FixtureRunner.functionConfig(memory);
    }

    @AfterEach
    void drop() {
        Lookups.dropMemory(memory);
    }

    @Test
    void unreadableRecordsAreDeadLetteredWithTheReasonAndNotEnriched() throws Exception {
        EnrichmentTopology topology = new EnrichmentTopology(config);
        try (TopologyTestDriver driver = driver(topology)) {
            TestInputTopic<String, byte[]> in = input(driver);
            in.pipeInput(new TestRecord<>("s-1", "not an event".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1000)));
            in.pipeInput(new TestRecord<>("s-1", GOOD.replace("\"quantity\":1", "\"quantity\":\"two\"").getBytes(StandardCharsets.UTF_8),
                    Instant.ofEpochMilli(2000)));
            in.pipeInput(new TestRecord<>("s-1", "[1,2]".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(3000)));
            in.pipeInput(new TestRecord<>("s-1", GOOD.getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(4000)));

            List<TestRecord<String, byte[]>> dlq = dlq(driver).readRecordsToList();
            assertThat(dlq).hasSize(3);
            TestRecord<String, byte[]> notJson = dlq.get(0);
            assertThat(notJson.key()).isEqualTo("s-1");
            assertThat(new String(notJson.value(), StandardCharsets.UTF_8)).isEqualTo("not an event");
            assertThat(notJson.timestamp()).isEqualTo(1000);
            assertThat(header(notJson, EventHeaders.ERROR_STAGE)).isEqualTo(EventHeaders.STAGE_ENRICHMENT_READ);
            assertThat(header(notJson, EventHeaders.ERROR_REASON)).startsWith("cannot read the record into the columns of cart_events_validated: not JSON");
            assertThat(header(notJson, EventHeaders.ERROR_EXCEPTION_MESSAGE)).isEqualTo(header(notJson, EventHeaders.ERROR_REASON));
            assertThat(header(notJson, EventHeaders.ERROR_TOPIC)).isEqualTo(Topics.VALIDATED);
            assertThat(header(notJson, EventHeaders.ERROR_PARTITION)).isEqualTo("0");
            assertThat(header(notJson, EventHeaders.ERROR_OFFSET)).isEqualTo("0");
            assertThat(header(notJson, EventHeaders.ERROR_CONNECTOR)).isEqualTo("dlq-test");
            assertThat(header(notJson, EventHeaders.ERROR_TASK)).isEqualTo("0_0");
            assertThat(header(notJson, EventHeaders.ERROR_CLASS)).isEqualTo(SourceSchema.class.getName());
            assertThat(header(notJson, EventHeaders.ERROR_EXCEPTION_CLASS)).isEqualTo(UnreadableRecordException.class.getName());

            assertThat(header(dlq.get(1), EventHeaders.ERROR_REASON)).endsWith("/payload/quantity: not an INT: \"two\"");
            assertThat(header(dlq.get(1), EventHeaders.ERROR_OFFSET)).isEqualTo("1");
            assertThat(header(dlq.get(2), EventHeaders.ERROR_REASON)).endsWith("not a JSON object: the value is array");

            List<TestRecord<String, byte[]>> enriched = driver.createOutputTopic(Topics.ENRICHED, new StringDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList();
            assertThat(enriched).hasSize(1);
            assertThat(FixtureRunner.JSON.readTree(enriched.get(0).value()).get("eventId").asText()).isEqualTo("e-1");

            assertThat(topology.deadLetters().get(EventHeaders.STAGE_ENRICHMENT_READ)).isEqualTo(3);
            assertThat(metric(driver, "enrichment_read")).isEqualTo(3.0);
        }
    }

    @Test
    void aFailingFunctionWritesNullAndDeadLettersTheRecord() throws Exception {
        class BrokenCart extends CartFeaturesUdf {
            @Override
            public org.apache.kafka.connect.data.Struct cartFeatures(String sessionId, String type, JsonNode payload) {
                throw new IllegalStateException("cart state corrupted");
            }
        }
        EnrichmentTopology topology = new EnrichmentTopology(config, c -> new Enricher(c, new BrokenCart()));
        try (TopologyTestDriver driver = driver(topology)) {
            input(driver).pipeInput(new TestRecord<>("s-1", GOOD.getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1000)));

            JsonNode enriched = FixtureRunner.JSON.readTree(driver.createOutputTopic(Topics.ENRICHED, new StringDeserializer(),
                    new ByteArrayDeserializer()).readValue());
            assertThat(enriched.at("/enrichment/cart").isNull()).isTrue();
            assertThat(enriched.at("/enrichment/user/purchaseCount").asLong()).isEqualTo(2);

            TestRecord<String, byte[]> letter = dlq(driver).readRecord();
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(GOOD);
            assertThat(header(letter, EventHeaders.ERROR_STAGE)).isEqualTo(EventHeaders.STAGE_ENRICHMENT_FUNCTION);
            assertThat(header(letter, EventHeaders.ERROR_REASON))
                    .isEqualTo("CART_FEATURES failed (field written as null): java.lang.IllegalStateException: cart state corrupted");
            assertThat(header(letter, EventHeaders.ERROR_CLASS)).isEqualTo(BrokenCart.class.getName());
            assertThat(header(letter, EventHeaders.ERROR_EXCEPTION_CLASS)).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(letter, EventHeaders.ERROR_EXCEPTION_STACKTRACE)).contains("cart state corrupted", "BrokenCart");
            assertThat(dlq(driver).isEmpty()).isTrue();
            assertThat(topology.deadLetters().get(EventHeaders.STAGE_ENRICHMENT_FUNCTION)).isEqualTo(1);
            assertThat(metric(driver, "enrichment_function")).isEqualTo(1.0);
        }
    }

    @Test
    void readableRecordsAreNotDeadLettered() throws Exception {
        EnrichmentTopology topology = new EnrichmentTopology(config);
        try (TopologyTestDriver driver = driver(topology)) {
            input(driver).pipeInput(new TestRecord<>("s-1", GOOD.getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1000)));
            assertThat(dlq(driver).isEmpty()).isTrue();
            assertThat(topology.deadLetters().total()).isZero();
        }
    }

    static TopologyTestDriver driver(EnrichmentTopology topology) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("dlq-state").toString());
        return new TopologyTestDriver(topology.build(), props);
    }

    static TestInputTopic<String, byte[]> input(TopologyTestDriver driver) {
        return driver.createInputTopic(Topics.VALIDATED, new StringSerializer(), new ByteArraySerializer());
    }

    static TestOutputTopic<String, byte[]> dlq(TopologyTestDriver driver) {
        return driver.createOutputTopic(Topics.DLQ, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static String header(TestRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static Object metric(TopologyTestDriver driver, String stage) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dead-letter-total")
                        && stage.equals(e.getKey().tags().get(DeadLetterWriter.METRIC_SCOPE + "-id")))
                .map(e -> e.getValue().metricValue()).findFirst().orElse(null);
    }
}
