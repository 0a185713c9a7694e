package dev.eventpipeline.udfs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Lenient readers: malformed input becomes null, never an exception (a query must not fail on data). */
final class Fields {
    private Fields() {
    }

    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return IsoTime.parseInstant(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Long longValue(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /** A JSON object's members as text (nested values as JSON); null when absent or not an object. */
    static Map<String, String> jsonObjectAsStrings(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JsonMapper.get().readTree(json);
            if (node == null || !node.isObject()) {
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            node.properties().forEach(e -> out.put(e.getKey(),
                    e.getValue().isNull() ? null : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            return Collections.unmodifiableMap(out);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A money amount from a JSON string or number; null when absent or malformed. */
    static BigDecimal amount(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            // 1e400 parses to an infinite double, which has no BigDecimal: malformed, not an exception
            if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                return null;
            }
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A non-negative integer quantity; null when absent, negative, fractional or malformed. */
    static Integer quantity(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 0) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                int q = Integer.parseInt(node.textValue().trim());
                return q >= 0 ? q : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A non-negative integer count (e.g. itemCount); null when absent, negative, fractional or malformed. */
    static Long count(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            return node.longValue();
        }
        if (node.isTextual()) {
            Long n = longValue(node.textValue());
            return n != null && n >= 0 ? n : null;
        }
        return null;
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || node.isContainerNode() ? null : node.asText();
    }
}
