package dev.eventpipeline.smt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import org.apache.kafka.connect.errors.DataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Record values the transforms accept: schemaless JSON as String, byte[] or Map. */
final class EventValues {
    private EventValues() {
    }

    /** Parsed event, or null when the value is not JSON text/bytes/map (reason in {@code error[0]}). */
    static JsonNode parse(Object value, String[] error) {
        try {
            if (value instanceof String s) {
                return JsonMapper.get().readTree(s);
            }
            if (value instanceof byte[] b) {
                return JsonMapper.get().readTree(b);
            }
            if (value instanceof Map<?, ?> m) {
                return JsonMapper.get().valueToTree(m);
            }
            error[0] = value == null ? "record has no value" : "unsupported value type " + value.getClass().getName()
                    + " (expected JSON as String, byte[] or Map; use StringConverter/ByteArrayConverter or schemaless JSON)";
            return null;
        } catch (IOException | IllegalArgumentException e) {
            error[0] = "malformed JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            return null;
        }
    }

    /** {@code event} in the representation of {@code original}. */
    static Object render(ObjectNode event, Object original) {
        try {
            if (original instanceof byte[]) {
                return JsonMapper.get().writeValueAsBytes(event);
            }
            if (original instanceof Map) {
                return JsonMapper.get().convertValue(event, Map.class);
            }
            return JsonMapper.get().writeValueAsString(event);
        } catch (IOException e) {
            throw new DataException("cannot write the upgraded event", e);
        }
    }

    static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
