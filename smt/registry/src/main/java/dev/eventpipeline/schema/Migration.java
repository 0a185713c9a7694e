package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a payload of version {@code n-1} becomes a payload of version {@code n}: declared with version
 * {@code n} at registration and immutable with it. Applied in this order, to top-level payload fields:
 * <ol>
 *   <li>{@code renames}: {@code {"old": "new"}}, the value moves;</li>
 *   <li>{@code removes}: fields dropped;</li>
 *   <li>{@code defaults}: {@code {"field": value}} set when the field is absent (or null).</li>
 * </ol>
 * JSON form: {@code {"renames":{"price":"unitPrice"},"removes":["legacy"],"defaults":{"source":"web"}}}.
 */
public record Migration(Map<String, String> renames, List<String> removes, Map<String, JsonNode> defaults) {
    public static final Migration NONE = new Migration(Map.of(), List.of(), Map.of());

    public Migration {
        renames = Map.copyOf(renames);
        removes = List.copyOf(removes);
        defaults = Map.copyOf(defaults);
    }

    public boolean isEmpty() {
        return renames.isEmpty() && removes.isEmpty() && defaults.isEmpty();
    }

    /** Upgrades a payload (a copy is returned, the argument is untouched). */
    public ObjectNode apply(ObjectNode payload) {
        ObjectNode out = payload.deepCopy();
        renames.forEach((from, to) -> {
            JsonNode v = out.remove(from);
            if (v != null && !out.has(to)) {
                out.set(to, v);
            }
        });
        removes.forEach(out::remove);
        defaults.forEach((field, value) -> {
            JsonNode v = out.get(field);
            if (v == null || v.isNull()) {
                out.set(field, value.deepCopy());
            }
        });
        return out;
    }

    /**
     * The schema of the payloads {@link #apply} produces from payloads valid against {@code schema}:
     * what the BACKWARD check compares the new version with. Renamed properties move (and stay required
     * if they were), removed ones disappear, defaulted ones become required with a {@code const} of
     * their default's type (or keep their old schema when the old version already had them).
     */
    public ObjectNode applyToSchema(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return schema == null ? null : JsonNodeFactory.instance.objectNode();
        }
        ObjectNode out = ((ObjectNode) schema).deepCopy();
        ObjectNode props = out.has("properties") && out.get("properties").isObject()
                ? (ObjectNode) out.get("properties") : out.putObject("properties");
        List<String> required = new ArrayList<>();
        if (out.get("required") instanceof ArrayNode arr) {
            arr.forEach(n -> required.add(n.asText()));
        }
        renames.forEach((from, to) -> {
            JsonNode s = props.remove(from);
            if (s != null) {
                props.set(to, s);
            }
            if (required.remove(from) && !required.contains(to)) {
                required.add(to);
            }
        });
        removes.forEach(f -> {
            props.remove(f);
            required.remove(f);
        });
        defaults.forEach((field, value) -> {
            if (!props.has(field)) {
                ObjectNode s = JsonNodeFactory.instance.objectNode();
                String type = jsonType(value);
                if (type != null) {
                    s.put("type", type);
                }
                s.set("const", value.deepCopy());
                props.set(field, s);
            } else if (props.get(field).isObject()) {
                // absent values become the default: the default is one more value the field may have
                ObjectNode s = ((ObjectNode) props.get(field)).deepCopy();
                props.set(field, JsonNodeFactory.instance.objectNode().set("anyOf",
                        JsonNodeFactory.instance.arrayNode().add(s).add(JsonNodeFactory.instance.objectNode()
                                .put("type", jsonType(value)).set("const", value.deepCopy()))));
            }
            if (!required.contains(field)) {
                required.add(field);
            }
        });
        ArrayNode req = JsonNodeFactory.instance.arrayNode();
        required.forEach(req::add);
        out.set("required", req);
        return out;
    }

    static String jsonType(JsonNode v) {
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isObject()) {
            return "object";
        }
        if (v.isNull()) {
            return "null";
        }
        return null;
    }

    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode r = out.putObject("renames");
        renames.forEach(r::put);
        ArrayNode rm = out.putArray("removes");
        removes.forEach(rm::add);
        ObjectNode d = out.putObject("defaults");
        defaults.forEach(d::set);
        return out;
    }

    public static Migration fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new SchemaRegistryException(422, "migration must be an object {renames, removes, defaults}");
        }
        Map<String, String> renames = new LinkedHashMap<>();
        JsonNode r = node.path("renames");
        if (!r.isMissingNode() && !r.isNull()) {
            if (!r.isObject()) {
                throw new SchemaRegistryException(422, "migration.renames must be an object {\"old\":\"new\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new SchemaRegistryException(422, "migration.renames." + e.getKey() + " must be a string");
                }
                renames.put(e.getKey(), e.getValue().textValue());
            }
        }
        List<String> removes = new ArrayList<>();
        JsonNode rm = node.path("removes");
        if (!rm.isMissingNode() && !rm.isNull()) {
            if (!rm.isArray()) {
                throw new SchemaRegistryException(422, "migration.removes must be an array of field names");
            }
            rm.forEach(n -> removes.add(n.asText()));
        }
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        JsonNode d = node.path("defaults");
        if (!d.isMissingNode() && !d.isNull()) {
            if (!d.isObject()) {
                throw new SchemaRegistryException(422, "migration.defaults must be an object {\"field\": value}");
            }
            d.fields().forEachRemaining(e -> defaults.put(e.getKey(), e.getValue()));
        }
        return new Migration(renames, removes, defaults);
    }
}
