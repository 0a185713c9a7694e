package dev.eventpipeline.reliability.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CartEventsTest {
    @Test
    void eventsHaveTheShapeOfTheShippedExampleAndTheirRunPrefix() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode event = json.readTree(CartEvents.one(CartEvents.id("run42", "w0", 17), 17));
        JsonNode example = json.readTree(Files.readString(Path.of("../../examples/item-added.json")));
        assertThat(event.path("eventId").asText()).isEqualTo("run42-w0-17");
        assertThat(CartEvents.runOf(event.path("eventId").asText())).isEqualTo("run42");
        // Same fields as the example the README shows accepted (schema cart.item_added v3).
        assertThat(fieldNames(event)).isEqualTo(fieldNames(example));
        assertThat(fieldNames(event.path("payload"))).isEqualTo(fieldNames(example.path("payload")));
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
