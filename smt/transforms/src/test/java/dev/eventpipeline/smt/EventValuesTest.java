package dev.eventpipeline.smt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class EventValuesTest {
    static String reasonOf(Object value) {
        String[] error = new String[1];
        JsonNode node = EventValues.parse(value, error);
        assertThat(node).as("refused").isNull();
        return error[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"eventId\":\"a\",\"eventId\":\"b\"}", "{\"p\":{\"q\":1,\"r\":2,\"q\":3}}",
            "[{\"a\":1},{\"b\":1,\"b\":2}]", "{\"a\":1} {\"b\":2}", "{\"a\":", "", "{\"a\":1,}"})
    void refusesWhatJsonMapperRefusesWithTheSameReason(String json) throws Exception {
        Throwable strict = catchThrowable(() -> JsonMapper.get().readTree(json));
        if (strict == null) {
            // JsonMapper reads it (e.g. empty text = a missing node): so must the fast reader, to the same tree
            assertThat(EventValues.parse(json, new String[1])).isEqualTo(JsonMapper.get().readTree(json));
            return;
        }
        String expected = "malformed JSON: " + ((com.fasterxml.jackson.core.JsonProcessingException) strict).getOriginalMessage();
        assertThat(reasonOf(json)).isEqualTo(expected);
        assertThat(reasonOf(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        assertThat(reasonOf("{\"eventId\":\"a\",\"eventId\":\"b\"}")).contains("Duplicate field 'eventId'");
        assertThat(reasonOf("{\"payload\":{\"items\":[{\"sku\":1,\"sku\":2}]}}")).contains("Duplicate field 'sku'");
    }

    @Test
    void keepsTheNestingLimit() {
        String deep = "{\"a\":".repeat(JsonMapper.MAX_NESTING_DEPTH + 5) + "1" + "}".repeat(JsonMapper.MAX_NESTING_DEPTH + 5);
        assertThat(reasonOf(deep)).contains("nesting depth");
    }

    @Test
    void readsTheSameTreeAsJsonMapper() throws Exception {
        String json = Examples.example("order-completed.json");
        JsonNode expected = JsonMapper.get().readTree(json);
        assertThat(EventValues.parse(json, new String[1])).isEqualTo(expected);
        assertThat(EventValues.parse(json.getBytes(StandardCharsets.UTF_8), new String[1])).isEqualTo(expected);
        assertThat(EventValues.parse(Map.of("a", 1), new String[1])).isEqualTo(JsonMapper.get().readTree("{\"a\":1}"));
    }

    @Test
    void aHandedOverStringIsNotParsedAgainButAnEqualOtherOneIs() throws Exception {
        String json = Examples.example("cart-viewed.json");
        JsonNode tree = EventValues.parse(json, new String[1]);
        EventValues.handOver(json, tree);
        assertThat(EventValues.parsed(json, new String[1])).isSameAs(tree);
        String equalCopy = new String(json.toCharArray());
        assertThat(EventValues.parsed(equalCopy, new String[1])).isNotSameAs(tree).isEqualTo(tree);
    }

    @Test
    void bytesAndMapsAreNeverHandedOver() throws Exception {
        byte[] bytes = Examples.example("cart-viewed.json").getBytes(StandardCharsets.UTF_8);
        JsonNode tree = EventValues.parse(bytes, new String[1]);
        EventValues.handOver(bytes, tree);
        assertThat(EventValues.parsed(bytes, new String[1])).isNotSameAs(tree).isEqualTo(tree);
    }

    @Test
    void anotherThreadDoesNotSeeTheHandOver() throws Exception {
        String json = Examples.example("cart-viewed.json");
        JsonNode tree = EventValues.parse(json, new String[1]);
        EventValues.handOver(json, tree);
        JsonNode[] seen = new JsonNode[1];
        Thread t = new Thread(() -> seen[0] = EventValues.parsed(json, new String[1]));
        t.start();
        t.join();
        assertThat(seen[0]).isNotSameAs(tree).isEqualTo(tree);
    }
}
