package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingEventReaderTest {
    private static final ObjectMapper JSON = JsonMapper.get();
    private final StreamingEventReader reader = new StreamingEventReader(JSON,
            Set.of("eventId", "schemaVersion", "n", "enrichment", "flag", "none", "big", "f", "list"), "payload");

    @Test
    void keepsTheWantedFieldsAsTheNodesReadTreeBuilds() throws Exception {
        String event = "{\"eventId\":\"e-1\",\"schemaVersion\":1,\"n\":12345678901,\"big\":123456789012345678901234567890,"
                + "\"f\":1e2,\"flag\":true,\"none\":null,\"list\":[1,\"a\",{\"b\":-0.0}],"
                + "\"enrichment\":{\"user\":{\"purchaseCount\":3,\"value\":59.90}},\"skipped\":{\"deep\":[1,2,{\"x\":\"y\"}]}}";
        assertThat(reader.read(event)).isTrue();
        JsonNode tree = JSON.readTree(event);
        for (String field : List.of("eventId", "schemaVersion", "n", "big", "f", "flag", "none", "list", "enrichment")) {
            JsonNode kept = reader.event().get(field);
            assertThat(kept).as(field).isEqualTo(tree.get(field));
            assertThat(kept.getClass()).as(field + " node class").isEqualTo(tree.get(field).getClass());
        }
        assertThat(reader.event().has("skipped")).as("not wanted: skipped").isFalse();
        assertThat(reader.hasText()).isFalse();
    }

    @Test
    void theTextFieldIsTheSameJsonTextAsTheTreesToString() throws Exception {
        for (String payload : List.of("{\"sku\":\"A-1\",\"quantity\":2,\"price\":19.99}", "{\"e\":1E+2,\"f\":-0.0,\"g\":1.0e-7}",
                "{\"big\":123456789012345678901234567890,\"neg\":-9223372036854775809}",
                "{\"s\":\"é \\u00e9 \\n \\t \\\" \\\\ \\/ \\u0001 \\ud83d\\ude00 €\"}", "[1,[2,[3]],{}]", "\"text\"", "null",
                "42", "3.14", "true", "{ \"spaced\" : [ 1 , 2 ] }")) {
            String event = "{\"eventId\":\"e\",\"payload\":" + payload + ",\"after\":1}";
            assertThat(reader.read(event)).as(payload).isTrue();
            String expected = JSON.readTree(event).get("payload").toString();
            assertThat(reader.text()).as(payload).isEqualTo(expected);
            assertThat(Arrays.copyOf(reader.textBytes(), reader.textLength()))
                    .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
            assertThat(reader.read(event.getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(reader.text()).as(payload + " from bytes").isEqualTo(expected);
        }
    }

    @Test
    void recurringAndCollidingFloatLiteralsPrintAsTheTreePrintsThem() throws Exception {
        // 500 distinct literals (more than the 64 remembered, so slots are overwritten), each read three times,
        // including forms Double.toString prints differently from the literal (trailing zeros, exponents)
        List<String> literals = new java.util.ArrayList<>(List.of("19.99", "19.990", "1.999e1", "0.0020", "2e-3",
                "1E7", "12345678.9", "1e400", "-0.0", "0.1", "100.0"));
        for (int i = 0; i < 490; i++) {
            literals.add((i % 2 == 0 ? "" : "-") + (i * 7) + "." + (i % 10) + (i % 3 == 0 ? "0" : "") + (i % 5 == 0 ? "e" + (i % 9) : ""));
        }
        for (int round = 0; round < 3; round++) {
            for (String literal : literals) {
                String event = "{\"payload\":{\"price\":" + literal + ",\"list\":[" + literal + "]}}";
                boolean read = reader.read(event.getBytes(StandardCharsets.UTF_8));
                if (literal.equals("1e400")) {
                    assertThat(read).as("Infinity: left to the tree path, every time").isFalse();
                    continue;
                }
                assertThat(read).as(literal).isTrue();
                assertThat(reader.text()).as(literal).isEqualTo(JSON.readTree(event).get("payload").toString());
            }
        }
    }

    @Test
    void refusesWhatTheTreePathRefusesSoThatPathNamesTheError() {
        for (String bad : List.of("", "   ", "not json", "[1,2]", "\"text\"", "42", "null", "{\"eventId\":\"e\"} {}",
                "{\"eventId\":\"e\"} x", "{\"eventId\":\"e\",\"eventId\":\"f\"}", "{\"a\":1,\"a\":2}",
                "{\"skipped\":{\"x\":1,\"x\":2}}", "{\"payload\":{\"x\":1,\"x\":2}}", "{\"skipped\":[1,}",
                "{\"eventId\":\"e\"", "{\"skipped\":" + "[".repeat(40) + "]".repeat(40) + "}")) {
            assertThat(reader.read(bad)).as(bad).isFalse();
            assertThat(reader.read(bad.getBytes(StandardCharsets.UTF_8))).as(bad + " as bytes").isFalse();
        }
        assertThat(reader.read(new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}))
                .as("invalid UTF-8").isFalse();
    }

    @Test
    void writesAnUnpairedSurrogateAsTheStringPathsUtf8Encoding() throws Exception {
        for (String payload : List.of("{\"s\":\"\\ud800\"}", "\"a\\udc00\"", "[\"\\ud83d\\ude00\",\"\\ud83d\"]")) {
            String event = "{\"payload\":" + payload + "}";
            assertThat(reader.read(event)).as(payload).isTrue();
            byte[] expected = JSON.readTree(event).get("payload").toString().getBytes(StandardCharsets.UTF_8);
            assertThat(Arrays.copyOf(reader.textBytes(), reader.textLength())).as(payload).isEqualTo(expected);
        }
        assertThat(reader.text()).isEqualTo("[\"\uD83D\uDE00\",\"?\"]");
    }

    @Test
    void leavesANumberTheTreePrintsDifferentlyToTheTreePath() {
        assertThat(reader.read("{\"payload\":{\"x\":1e400}}")).as("Infinity: quoted by the tree").isFalse();
        assertThat(reader.read("{\"payload\":{\"x\":1e300}}")).isTrue();
    }

    @Test
    void duplicateKeysAreRefusedPerObjectAtEveryLevel() {
        for (String bad : List.of("{\"enrichment\":{\"a\":1,\"a\":2}}", "{\"skipped\":[{\"a\":1,\"a\":2}]}",
                "{\"payload\":[{\"a\":{\"b\":1,\"c\":2,\"b\":3}}]}", "{\"a\":1,\"b\":{},\"c\":[],\"d\":null,\"a\":2}",
                "{\"list\":[{\"x\":1,\"x\":1}]}")) {
            assertThat(reader.read(bad)).as(bad).isFalse();
        }
        for (String good : List.of("{\"skipped\":[{\"a\":1},{\"a\":2}]}", "{\"skipped\":{\"a\":{\"b\":1},\"b\":2},\"a\":3}",
                "{\"payload\":{\"a\":{\"a\":{\"a\":1}}},\"a\":1}", "{\"enrichment\":{\"a\":{\"a\":1}}}")) {
            assertThat(reader.read(good)).as(good).isTrue();
        }
        String many = "{" + String.join(",", java.util.stream.IntStream.range(0, 200).mapToObj(i -> "\"k" + i + "\":" + i).toList()) + "}";
        assertThat(reader.read(many)).as("more keys than the first name buffer").isTrue();
        assertThat(reader.read(many.replace("\"k199\"", "\"k3\""))).isFalse();
    }

    @Test
    void eachReadStartsAfresh() {
        assertThat(reader.read("{\"eventId\":\"e-1\",\"payload\":{\"a\":1}}")).isTrue();
        assertThat(reader.read("{\"flag\":false}")).isTrue();
        assertThat(reader.event().has("eventId")).isFalse();
        assertThat(reader.event().get("flag").booleanValue()).isFalse();
        assertThat(reader.hasText()).isFalse();
        assertThat(reader.textLength()).isZero();
    }

    @Test
    void slotsHoldTheWantedFieldsAndTheObjectIsBuiltFromThemPerRead() {
        int eventId = reader.slot("eventId");
        int flag = reader.slot("flag");
        assertThat(eventId).isNotNegative();
        assertThat(flag).isNotNegative().isNotEqualTo(eventId);
        assertThat(reader.slot("skipped")).isEqualTo(-1);
        assertThat(reader.slot("payload")).as("the text field is not a slot").isEqualTo(-1);

        assertThat(reader.read("{\"eventId\":\"e-1\",\"skipped\":1,\"payload\":{\"a\":1}}")).isTrue();
        assertThat(reader.value(eventId).textValue()).isEqualTo("e-1");
        assertThat(reader.value(flag)).as("absent").isNull();
        assertThat(reader.event().get("eventId").textValue()).isEqualTo("e-1");

        // the object built for the first read must not leak into the second
        assertThat(reader.read("{\"flag\":true}")).isTrue();
        assertThat(reader.value(eventId)).isNull();
        assertThat(reader.value(flag).booleanValue()).isTrue();
        assertThat(reader.event().has("eventId")).isFalse();
        assertThat(reader.event().get("flag").booleanValue()).isTrue();

        assertThat(reader.read("{\"payload\":[1],\"eventId\":\"e-2\",\"flag\":tru}")).isFalse();
        assertThat(reader.value(eventId)).as("nothing kept after a failed read").isNull();
        assertThat(reader.event().isEmpty()).isTrue();
        assertThat(reader.hasText()).isFalse();
        assertThat(reader.read("{\"payload\":[1],\"eventId\":\"e-3\",\"eventId\":\"e-3\"}")).as("duplicate key").isFalse();
        assertThat(reader.value(eventId)).isNull();
        assertThat(reader.hasText()).isFalse();
    }

    @Test
    void asciiCheck() {
        assertThat(StreamingEventReader.isAscii("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(StreamingEventReader.isAscii("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(StreamingEventReader.isAscii(new byte[0])).isTrue();
    }

    @Test
    void asciiCheckFindsAHighByteAtEveryPositionAndLength() {
        // eight bytes per step plus a tail: every position of every length up to three steps and a bit
        for (int length = 1; length <= 27; length++) {
            byte[] bytes = new byte[length];
            java.util.Arrays.fill(bytes, (byte) 0x7F);
            assertThat(StreamingEventReader.isAscii(bytes)).as("length %d", length).isTrue();
            for (int at = 0; at < length; at++) {
                for (int high : new int[]{0x80, 0xC3, 0xFF}) {
                    bytes[at] = (byte) high;
                    assertThat(StreamingEventReader.isAscii(bytes)).as("0x%X at %d of %d", high, at, length).isFalse();
                }
                bytes[at] = 0x7F;
            }
        }
    }

    // ---- remainder mode (tables with an unknown-fields column) ----

    private final StreamingEventReader remainder = new StreamingEventReader(JSON, Set.of("eventId"), "payload",
            Set.of("eventId", "payload", "type"), List.of(List.of("enrichment", "user", "lastSeen"),
            List.of("enrichment", "cart", "value"), List.of("enrichment", "user"), List.of("top")));

    @Test
    void theRemainderLeavesOutConsumedFieldsPathLeavesAndObjectsLeftEmpty() throws Exception {
        String event = "{\"x\":1,\"eventId\":\"e\",\"type\":\"t\",\"payload\":{\"a\":2},\"top\":{\"k\":[1]},"
                + "\"enrichment\":{\"user\":{\"lastSeen\":\"s\",\"other\":3},\"cart\":{\"value\":4},\"store\":{}},\"y\":\"\\u00e9\"}";
        assertThat(remainder.read(event)).isTrue();

        assertThat(remainder.hasRest()).isTrue();
        assertThat(remainder.rest()).isEqualTo("{\"x\":1,\"enrichment\":{\"store\":{}},\"y\":\"\u00e9\"}");
        assertThat(remainder.text()).isEqualTo("{\"a\":2}");
        // the path leaves are kept under their paths (a leaf that is also a prefix is kept whole)
        JsonNode tree = JSON.readTree(event);
        assertThat(remainder.event().get("eventId")).isEqualTo(tree.get("eventId"));
        assertThat(remainder.event().get("top")).isEqualTo(tree.get("top"));
        assertThat(remainder.event().at("/enrichment/user")).isEqualTo(tree.at("/enrichment/user"));
        assertThat(remainder.event().at("/enrichment/cart/value")).isEqualTo(tree.at("/enrichment/cart/value"));
        assertThat(remainder.event().has("type")).as("consumed, not wanted").isFalse();
        assertThat(remainder.event().has("x")).isFalse();
    }

    @Test
    void anEventWhoseFieldsAreAllConsumedHasNoRemainder() {
        assertThat(remainder.read("{\"eventId\":\"e\",\"enrichment\":{\"cart\":{\"value\":1},\"user\":{}}}")).isTrue();
        assertThat(remainder.hasRest()).isFalse();
        assertThat(remainder.read("{\"eventId\":\"e\",\"enrichment\":\"not an object\"}")).isTrue();
        assertThat(remainder.rest()).isEqualTo("{\"enrichment\":\"not an object\"}");
    }

    @Test
    void theRemainderReadRefusesDuplicatesAndMalformedJsonInsideFilteredObjects() {
        assertThat(remainder.read("{\"enrichment\":{\"cart\":{\"value\":1,\"value\":2}}}")).isFalse();
        assertThat(remainder.read("{\"enrichment\":{\"cart\":{},\"cart\":{}}}")).isFalse();
        assertThat(remainder.read("{\"enrichment\":{\"cart\":{\"v\":1,\"v\":1}}}")).isFalse();
        assertThat(remainder.read("{\"enrichment\":{\"cart\":{\"v\":1}}")).isFalse();
        assertThat(remainder.read("{\"x\":1e400}")).as("the tree prints it differently").isFalse();
        assertThat(remainder.read("{\"x\":1}")).isTrue();
        assertThat(remainder.rest()).isEqualTo("{\"x\":1}");
    }
}
