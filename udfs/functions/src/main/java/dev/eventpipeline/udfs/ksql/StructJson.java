package dev.eventpipeline.udfs.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import java.util.List;
import java.util.Map;

/**
 * Writes a function's {@code Struct} as ksqlDB's JSON value format does: every declared field in
 * declaration order, nulls included. The embedded runtime writes the functions' results through
 * this, so it emits what ksqlDB emits for the same Struct.
 */
public final class StructJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StructJson() {
    }

    public static JsonNode toJson(Object value) {
        if (value == null) {
            return F.nullNode();
        }
        if (value instanceof Struct s) {
            ObjectNode node = F.objectNode();
            for (Field f : s.schema().fields()) {
                node.set(f.name(), toJson(s.get(f)));
            }
            return node;
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode node = F.objectNode();
            m.forEach((k, v) -> node.set(String.valueOf(k), toJson(v)));
            return node;
        }
        if (value instanceof List<?> l) {
            var array = F.arrayNode();
            l.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof String s) {
            return F.textNode(s);
        }
        if (value instanceof Integer i) {
            return F.numberNode(i);
        }
        if (value instanceof Long l) {
            return F.numberNode(l);
        }
        if (value instanceof Double d) {
            return F.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return F.booleanNode(b);
        }
        throw new IllegalArgumentException("unsupported value " + value.getClass());
    }
}
