package dev.eventpipeline.smt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import org.apache.kafka.connect.errors.DataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Record values the transforms accept: schemaless JSON as String, byte[] or Map. */
final class EventValues {
    /**
     * {@link JsonMapper}'s configuration, but duplicate keys are found while the tree is built (the
     * object's map already answers "was this name there?") instead of by the parser's own name set per
     * object: the same documents are accepted and refused, at a lower cost per event. A refused document
     * is parsed again by {@link JsonMapper} so the reason reads exactly as before.
     */
    private static final ObjectReader FAST = JsonMapper.get().copy()
            .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .reader();

    /**
     * The last value parsed or rendered on this thread and its tree: ValidateEvent leaves it here and
     * DeduplicateEvent, next in the same task's chain, takes it instead of parsing the same value again
     * (matched by identity, so another value is never mistaken for it). Only immutable String values are
     * handed over (a byte[] or a Map could be changed in between); the tree is never modified by either.
     */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    private EventValues() {
    }

    /** Remembers {@code tree} as the parsed form of {@code value} for the next transform on this thread. */
    static void handOver(Object value, JsonNode tree) {
        if (value instanceof String) {
            Object[] last = LAST.get();
            last[0] = value;
            last[1] = tree;
        }
    }

    /** The tree of {@code value} when it is the one handed over last on this thread, else it parses it. */
    static JsonNode parsed(Object value, String[] error) {
        Object[] last = LAST.get();
        if (value != null && last[0] == value) {
            return (JsonNode) last[1];
        }
        return parse(value, error);
    }

    /** Parsed event, or null when the value is not JSON text/bytes/map (reason in {@code error[0]}). */
    static JsonNode parse(Object value, String[] error) {
        try {
            if (value instanceof String s) {
                try {
                    return FAST.readTree(s);
                } catch (IOException fastFailed) {
                    return JsonMapper.get().readTree(s); // throws the reason as JsonMapper words it
                }
            }
            if (value instanceof byte[] b) {
                try {
                    return FAST.readTree(b);
                } catch (IOException fastFailed) {
                    return JsonMapper.get().readTree(b);
                }
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
