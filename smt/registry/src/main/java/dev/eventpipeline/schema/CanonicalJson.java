package dev.eventpipeline.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** JSON with object keys sorted recursively: equal documents give equal text (schema identity, hashes). */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    public static JsonNode canonicalize(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                out.set(name, canonicalize(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(canonicalize(e)));
            return out;
        }
        return node;
    }

    public static String write(JsonNode node) {
        try {
            return JsonMapper.get().writeValueAsString(canonicalize(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
