package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming reader reads exactly what the tree path ({@link SourceSchema#project}) reads, with the same reasons. */
class SourceReaderTest {
    static final String ENVELOPE = "{\"eventId\":\"e\",\"type\":\"cart.item_added\",\"schemaVersion\":3,\"occurredAt\":\"2026-11-27T08:00:00Z\","
            + "\"userId\":null,\"sessionId\":\"s\",\"storeId\":\"st\",\"payload\":%s%s}";

    static Stream<String> values() throws Exception {
        List<String> out = new ArrayList<>(List.of(
                ENVELOPE.formatted("{\"productId\":\"p\",\"quantity\":2,\"unitPrice\":19.99,\"currency\":\"EUR\",\"discount\":0}", ""),
                // coercions ksqlDB's JSON format applies: text to INT/DOUBLE/BIGINT, numbers and objects to STRING
                ENVELOPE.formatted("{\"productId\":7,\"quantity\":\"2\",\"unitPrice\":\"19.99\",\"itemCount\":\"12\",\"currency\":{\"a\":1}}", ""),
                ENVELOPE.formatted("{\"quantity\":2.7,\"itemCount\":3.2,\"unitPrice\":20}", ""),
                // undeclared fields (top level and nested) are dropped; absent ones are null
                ENVELOPE.formatted("{\"gift\":{\"x\":[1,2,{\"y\":null}]},\"items\":[{\"productId\":\"a\",\"quantity\":1,\"x\":true},null]}",
                        ",\"clientVersion\":\"ios\""),
                ENVELOPE.formatted("null", ""),
                "{}",
                // unreadable
                ENVELOPE.formatted("{\"quantity\":\"two\"}", ""),
                ENVELOPE.formatted("{\"items\":[{\"quantity\":1},{\"quantity\":true}]}", ""),
                ENVELOPE.formatted("{\"items\":{\"quantity\":1}}", ""),
                ENVELOPE.formatted("[1]", ""),
                ENVELOPE.formatted("{\"quantity\":3000000000}", ""),
                "[1,2]", "\"text\"", "42", "null", "not json", "{\"a\":1} trailing", "{\"a\":1,\"a\":2}", "{\"a\":"));
        for (String fixture : List.of("checkout-journey", "abandonment", "malformed-input")) {
            JsonNode inputs = FixtureRunner.JSON.readTree(Files.readString(Path.of("fixtures", fixture, "input.json"))).get("inputs");
            inputs.forEach(i -> out.add(i.get("value").isTextual() ? i.get("value").asText() : i.get("value").toString()));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("values")
    void streamingAndTreeReadTheSame(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = JsonMapper.get().readTree(bytes);
        } catch (Exception e) {
            assertThatThrownBy(() -> SourceReader.read(bytes)).isInstanceOf(UnreadableRecordException.class)
                    .hasMessageStartingWith("not JSON: ");
            return;
        }
        String treeError = null;
        JsonNode treeRow = null;
        try {
            treeRow = SourceSchema.project(tree);
        } catch (UnreadableRecordException e) {
            treeError = e.getMessage();
        }
        if (treeError != null) {
            assertThatThrownBy(() -> SourceReader.read(bytes)).isInstanceOf(UnreadableRecordException.class).hasMessage(treeError);
        } else {
            assertThat(SourceReader.read(bytes).toString()).isEqualTo(treeRow.toString());
        }
    }
}
