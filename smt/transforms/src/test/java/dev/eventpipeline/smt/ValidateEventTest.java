package dev.eventpipeline.smt;

import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidateEventTest {
    SchemaRegistry registry;
    ValidateEvent<SourceRecord> smt;

    @BeforeEach
    void setUp() {
        registry = SchemaRegistry.inMemory();
        ShippedSchemas.registerAll(registry);
        smt = transform(Map.of());
    }

    @AfterEach
    void tearDown() {
        smt.close();
    }

    ValidateEvent<SourceRecord> transform(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of(ValidateEvent.REGISTRY_BOOTSTRAP, "unused:9092"));
        props.putAll(extra);
        ValidateEvent<SourceRecord> t = new ValidateEvent<>();
        t.configure(props, registry);
        return t;
    }

    static String example(String name) {
        try (InputStream in = ValidateEventTest.class.getResourceAsStream("/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static SourceRecord record(Object value) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(EventHeaders.INGEST_TASK, "event-source-0");
        return new SourceRecord(Map.of("listener", "x"), Map.of("seq", 1), "cart-events-raw", null,
                Schema.STRING_SCHEMA, "s-9f2c41", Schema.STRING_SCHEMA, value, 1000L, headers);
    }

    static String header(SourceRecord r, String name) {
        var h = r.headers().lastWithName(name);
        return h == null ? null : String.valueOf(h.value());
    }

    @Test
    void validEventGoesToTheValidatedTopicUnchanged() {
        String json = example("order-completed.json");
        SourceRecord out = smt.apply(record(json));
        assertThat(out.topic()).isEqualTo("cart-events-validated");
        assertThat(out.value()).isSameAs(json);
        assertThat(out.key()).isEqualTo("s-9f2c41");
        assertThat(header(out, ErrorHeaders.EVENT_ID)).isEqualTo("f5b7d9e1-3a4c-4b6d-9e8f-0a2b4c6d8f61");
        assertThat(header(out, ErrorHeaders.ORIGINAL_SCHEMA_VERSION)).isNull();
        assertThat(smt.counters()).containsEntry("valid", 1L);
    }

    @Test
    void invalidEventGoesToTheDlqWithConnectStyleReasonHeaders() {
        String json = example("item-added-invalid.json");
        SourceRecord out = smt.apply(record(json));
        assertThat(out.topic()).isEqualTo("cart-events-dlq");
        assertThat(out.value()).isSameAs(json);
        assertThat(header(out, EventHeaders.ERROR_TOPIC)).isEqualTo("cart-events-raw");
        assertThat(header(out, EventHeaders.ERROR_STAGE)).isEqualTo("TRANSFORMATION");
        assertThat(header(out, EventHeaders.ERROR_CLASS)).isEqualTo(ValidateEvent.class.getName());
        assertThat(header(out, EventHeaders.ERROR_EXCEPTION_CLASS)).isEqualTo(ErrorHeaders.SCHEMA_VIOLATION);
        assertThat(header(out, EventHeaders.ERROR_EXCEPTION_MESSAGE)).contains("/payload/quantity");
        assertThat(header(out, ErrorHeaders.REASON)).isEqualTo(header(out, EventHeaders.ERROR_EXCEPTION_MESSAGE));
        assertThat(header(out, ErrorHeaders.JSON_POINTERS)).isEqualTo("[\"/payload/quantity\",\"/payload/currency\"]");
        assertThat(header(out, ErrorHeaders.SCHEMA_SUBJECT)).isEqualTo("cart.item_added");
        assertThat(header(out, ErrorHeaders.SCHEMA_VERSION)).isEqualTo("3");
        assertThat(header(out, EventHeaders.ERROR_TASK)).isEqualTo("event-source-0");
        assertThat(smt.counters()).containsEntry("invalid.routed", 1L);
    }

    @Test
    void theSourceTasksDedupPremarkDoesNotFollowAnInvalidEventToTheDlq() {
        SourceRecord in = record(example("item-added-invalid.json"));
        in.headers().addString(ErrorHeaders.DEDUP_HASH, "8892f84df5b1d0c3c59150571fb7f71e");
        in.headers().addString(ErrorHeaders.DEDUP_MARK, "NEW");
        SourceRecord out = smt.apply(in);
        assertThat(out.topic()).isEqualTo("cart-events-dlq");
        assertThat(out.headers().lastWithName(ErrorHeaders.DEDUP_MARK)).isNull();
        assertThat(out.headers().lastWithName(ErrorHeaders.DEDUP_HASH)).isNull();

        SourceRecord valid = record(example("order-completed.json"));
        valid.headers().addString(ErrorHeaders.DEDUP_MARK, "NEW");
        assertThat(header(smt.apply(valid), ErrorHeaders.DEDUP_MARK)).as("kept for DeduplicateEvent").isEqualTo("NEW");
    }

    @Test
    void malformedAndUnsupportedValuesAreInvalidNotCrashes() {
        assertThat(header(smt.apply(record("{oops")), ErrorHeaders.REASON)).startsWith("malformed JSON");
        SourceRecord nonJson = new SourceRecord(null, null, "t", null, null, null, null, 42, 1L);
        assertThat(header(smt.apply(nonJson), ErrorHeaders.REASON)).startsWith("unsupported value type java.lang.Integer");
    }

    @Test
    void bytesAndMapsAreAcceptedAndKeepTheirRepresentationWhenUpgraded() throws Exception {
        byte[] bytes = example("item-added-v1.json").getBytes(StandardCharsets.UTF_8);
        SourceRecord b = smt.apply(record(bytes));
        assertThat(b.topic()).isEqualTo("cart-events-validated");
        assertThat(b.value()).isInstanceOf(byte[].class);
        var upgraded = JsonMapper.get().readTree((byte[]) b.value());
        assertThat(upgraded.get("schemaVersion").asInt()).isEqualTo(3);
        assertThat(upgraded.get("originalSchemaVersion").asInt()).isEqualTo(1);
        assertThat(upgraded.get("payload").get("unitPrice").asDouble()).isEqualTo(19.99);
        assertThat(header(b, ErrorHeaders.ORIGINAL_SCHEMA_VERSION)).isEqualTo("1");

        @SuppressWarnings("unchecked")
        Map<String, Object> map = JsonMapper.get().readValue(example("item-added-v2.json"), Map.class);
        SourceRecord m = smt.apply(record(map));
        assertThat(m.value()).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) ((Map<?, ?>) m.value()).get("payload")).get("discount")).isEqualTo(0);

        SourceRecord s = smt.apply(record(example("item-added-v1.json")));
        assertThat(s.value()).isInstanceOf(String.class);
        assertThat(smt.counters()).containsEntry("upgraded", 3L);
    }

    @Test
    void upgradeCanBeSwitchedOff() {
        try (ValidateEvent<SourceRecord> t = transform(Map.of(ValidateEvent.UPGRADE, "false"))) {
            String json = example("item-added-v1.json");
            assertThat(t.apply(record(json)).value()).isSameAs(json);
        }
    }

    @Test
    void dropAndFailModes() {
        try (ValidateEvent<SourceRecord> drop = transform(Map.of(ValidateEvent.ON_INVALID, "drop"))) {
            assertThat(drop.apply(record(example("item-added-invalid.json")))).isNull();
            assertThat(drop.counters()).containsEntry("invalid.dropped", 1L);
        }
        try (ValidateEvent<SourceRecord> fail = transform(Map.of(ValidateEvent.ON_INVALID, "FAIL"))) {
            assertThatThrownBy(() -> fail.apply(record(example("item-added-invalid.json"))))
                    .isInstanceOf(DataException.class).hasMessageContaining("/payload/quantity");
        }
    }

    @Test
    void configurableTopics() {
        try (ValidateEvent<SourceRecord> t = transform(Map.of(ValidateEvent.VALID_TOPIC, "ok", ValidateEvent.INVALID_TOPIC, "bad"))) {
            assertThat(t.apply(record(example("cart-viewed.json"))).topic()).isEqualTo("ok");
            assertThat(t.apply(record("{}")).topic()).isEqualTo("bad");
        }
    }
}
