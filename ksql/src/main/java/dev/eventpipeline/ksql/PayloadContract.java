package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The registry's schemas are the single source of truth of the payload: this compares the
 * {@code payload} STRUCT of the source stream (V000001) with the union of the payload schemas of
 * the latest version of every event type, field by field (names and types, at any depth). Order is
 * not compared (ksqlDB's JSON format reads fields by name).
 *
 * <p>JSON Schema → ksql type: {@code string} → STRING, {@code number} → DOUBLE, {@code boolean} →
 * BOOLEAN, {@code integer} → INT when {@code minimum}/{@code maximum} bound it to 32 bits, else BIGINT
 * (so every valid value can be read), {@code array} → ARRAY, {@code object} → STRUCT. A field two
 * types declare differently widens INT to BIGINT; any other conflict is reported, as one STRUCT cannot
 * hold both.
 */
public final class PayloadContract {
    private PayloadContract() {
    }

    /**
     * Differences between the migration's source columns and the schemas; empty when they agree.
     *
     * @param columnsSql    the column list of {@code CREATE STREAM cart_events_validated (...)}
     * @param latestSchemas subject (event type) → the JSON Schema of its latest version's payload
     */
    public static List<String> differences(String columnsSql, Map<String, JsonNode> latestSchemas) {
        List<String> out = new ArrayList<>();
        Map<String, String> sql = new TreeMap<>();
        String payloadType = SqlTypes.columns(columnsSql).get("payload");
        if (payloadType == null) {
            out.add("the source stream has no `payload` column");
            return out;
        }
        SqlTypes.flatten("payload", payloadType, sql);

        Map<String, String> schemas = new TreeMap<>();
        Map<String, String> declaredBy = new TreeMap<>();
        latestSchemas.forEach((subject, schema) -> {
            Map<String, String> fields = new TreeMap<>();
            flattenSchema("payload", schema, fields);
            fields.forEach((path, type) -> {
                String known = schemas.get(path);
                if (known == null || known.equals(type)) {
                    schemas.put(path, type);
                    declaredBy.putIfAbsent(path, subject);
                } else if (isIntegral(known) && isIntegral(type)) {
                    schemas.put(path, "BIGINT");
                } else {
                    out.add(path + " is " + known + " in " + declaredBy.get(path) + " but " + type + " in " + subject
                            + ": one payload STRUCT cannot hold both");
                }
            });
        });

        schemas.forEach((path, type) -> {
            String actual = sql.get(path);
            if (actual == null) {
                out.add(path + " (" + type + ", " + declaredBy.get(path) + ") is missing from the migration's payload STRUCT");
            } else if (!actual.equals(type)) {
                out.add(path + " is " + actual + " in the migration but " + type + " in the schema of "
                        + declaredBy.get(path));
            }
        });
        sql.forEach((path, type) -> {
            if (!schemas.containsKey(path)) {
                out.add(path + " (" + type + ") is in the migration's payload STRUCT but in no latest schema");
            }
        });
        return out;
    }

    private static boolean isIntegral(String type) {
        return type.equals("INT") || type.equals("BIGINT");
    }

    private static void flattenSchema(String path, JsonNode schema, Map<String, String> out) {
        String type = sqlType(schema);
        out.put(path, type);
        if (type.equals("STRUCT")) {
            schema.path("properties").properties().forEach(p -> flattenSchema(path + "." + p.getKey(), p.getValue(), out));
        } else if (type.equals("ARRAY")) {
            flattenSchema(path + "[]", schema.path("items"), out);
        }
    }

    private static String sqlType(JsonNode schema) {
        String type = schema.path("type").asText("");
        return switch (type) {
            case "string" -> "STRING";
            case "number" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "integer" -> fitsInt(schema) ? "INT" : "BIGINT";
            case "array" -> "ARRAY";
            case "object" -> "STRUCT";
            default -> "unsupported JSON Schema type '" + type + "'";
        };
    }

    private static boolean fitsInt(JsonNode schema) {
        JsonNode min = schema.get("minimum");
        JsonNode max = schema.get("maximum");
        return min != null && max != null && min.asDouble() >= Integer.MIN_VALUE && max.asDouble() <= Integer.MAX_VALUE;
    }

    /** A tiny reader of the ksql column/type syntax our migrations use. */
    static final class SqlTypes {
        private SqlTypes() {
        }

        /** {@code `a` STRING, `b` STRUCT<...>} → name → type text (KEY columns included without KEY). */
        static Map<String, String> columns(String list) {
            Map<String, String> out = new TreeMap<>();
            for (String part : splitTopLevel(list)) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int close = p.startsWith("`") ? p.indexOf('`', 1) : p.indexOf(' ');
                String name = p.startsWith("`") ? p.substring(1, close) : p.substring(0, close);
                String type = p.substring(close + 1).trim().replaceFirst("(?i)\\s+KEY$", "");
                out.put(name, type.trim());
            }
            return out;
        }

        static void flatten(String path, String type, Map<String, String> out) {
            String t = type.trim();
            String upper = t.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("STRUCT<") && t.endsWith(">")) {
                out.put(path, "STRUCT");
                columns(t.substring(7, t.length() - 1)).forEach((name, fieldType) -> flatten(path + "." + name, fieldType, out));
            } else if (upper.startsWith("ARRAY<") && t.endsWith(">")) {
                out.put(path, "ARRAY");
                flatten(path + "[]", t.substring(6, t.length() - 1), out);
            } else {
                out.put(path, Objects.requireNonNull(upper));
            }
        }

        private static List<String> splitTopLevel(String list) {
            List<String> out = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < list.length(); i++) {
                char c = list.charAt(i);
                if (c == '<' || c == '(') {
                    depth++;
                } else if (c == '>' || c == ')') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    out.add(list.substring(start, i));
                    start = i + 1;
                }
            }
            out.add(list.substring(start));
            return out;
        }
    }
}
