package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.udfs.ksql.Schemas;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The value columns of the {@code cart_events_validated} stream (V000001), once: {@link #columnsSql()}
 * must equal the column list in the migration (QueryCatalogCheckTest), and {@link #project} reads a
 * validated event into exactly these columns the way ksqlDB's JSON format does: declared fields
 * only, in declaration order, absent ones as null, numbers/text coerced to the declared type. A value
 * ksqlDB could not deserialize (not an object, a non-numeric INT, a struct that is not an object)
 * makes {@link #read} throw {@link UnreadableRecordException} with the JSON pointer of the value:
 * ksqlDB skips such a record to its processing log, the twin sends it to the DLQ.
 */
public final class SourceSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** An element of {@code items} (cart.viewed, order.completed). */
    public static final Schema ITEM = SchemaBuilder.struct().optional()
            .field("productId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("unitPrice", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();
    /**
     * Union of the payload fields of the latest schema version of every event type in the registry
     * ({@code smt/registry/.../schema/shipped/}; ValidateEvent upgrades every event to it), grouped
     * by the types that use them. PayloadContractTest fails when the migration's STRUCT and those
     * schemas disagree; QueryCatalogCheckTest when this and the migration disagree.
     */
    public static final Schema PAYLOAD = SchemaBuilder.struct().optional()
            // cart lines: item_added (v3), item_removed, quantity_changed
            .field("productId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sku", Schema.OPTIONAL_STRING_SCHEMA)
            .field("variantId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("category", Schema.OPTIONAL_STRING_SCHEMA)
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("previousQuantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("newQuantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("unitPrice", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("discount", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source", Schema.OPTIONAL_STRING_SCHEMA)
            .field("reason", Schema.OPTIONAL_STRING_SCHEMA)
            // cart snapshots: viewed, cleared, checkout.started
            .field("cartId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("itemCount", Schema.OPTIONAL_INT64_SCHEMA)
            .field("cartValue", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .field("checkoutId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("couponCode", Schema.OPTIONAL_STRING_SCHEMA)
            .field("subtotal", Schema.OPTIONAL_FLOAT64_SCHEMA)
            // order.completed
            .field("orderId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("tax", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("shipping", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("total", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("paymentMethod", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    public static final Schema VALUE = SchemaBuilder.struct()
            .field("eventId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("type", Schema.OPTIONAL_STRING_SCHEMA)
            .field("schemaVersion", Schema.OPTIONAL_INT32_SCHEMA)
            .field("occurredAt", Schema.OPTIONAL_STRING_SCHEMA)
            .field("userId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sessionId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("storeId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("payload", PAYLOAD)
            .build();
    /** The key column: the record key (the session id the ingestion connector keys by). */
    public static final String KEY_COLUMN = "sessionKey";

    private SourceSchema() {
    }

    /** The column list of the CREATE STREAM statement, e.g. {@code `sessionKey` STRING KEY, `eventId` STRING, ...}. */
    public static String columnsSql() {
        StringBuilder out = new StringBuilder("`" + KEY_COLUMN + "` STRING KEY");
        for (Field f : VALUE.fields()) {
            out.append(", `").append(f.name()).append("` ").append(Schemas.sql(f.schema()));
        }
        return out.toString();
    }

    /**
     * The record value read into the declared columns, as ksqlDB's JSON format reads it.
     *
     * @throws UnreadableRecordException with the precise reason (JSON pointer of the value) when
     *         ksqlDB could not deserialize it (and would skip the record to its processing log)
     */
    public static ObjectNode read(byte[] value) {
        if (value == null) {
            throw new UnreadableRecordException("no value (null record)");
        }
        return SourceReader.read(value);
    }

    /** An already parsed event read into the declared columns; see {@link #read}. */
    public static ObjectNode project(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new UnreadableRecordException("not a JSON object: the value is " + (event == null ? "empty" : event.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        try {
            return (ObjectNode) convert(event, VALUE);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException(e.getMessage());
        }
    }

    /** An integral value as ksqlDB's JSON format reads INT/BIGINT: integral numbers (fractions truncated), integer text. */
    private static long integral(JsonNode node, String sqlType) {
        try {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                long v = node.longValue();
                if ("INT".equals(sqlType) && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                    throw new IllegalArgumentException("out of range for INT: " + node);
                }
                return v;
            }
            if (node.isNumber()) {
                return "INT".equals(sqlType) ? node.intValue() : node.longValue();
            }
            if (node.isTextual()) {
                long v = Long.parseLong(node.textValue().trim());
                if ("INT".equals(sqlType)) {
                    Math.toIntExact(v);
                }
                return v;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not an " + sqlType + ": " + node);
        }
        throw new IllegalArgumentException("not an " + sqlType + ": " + node);
    }

    /** Builds the JSON pointer of a failing value from the inside out: "/payload" + "/quantity: not an INT". */
    private static String prefix(String segment, String message) {
        return message.startsWith("/") ? segment + message : segment + ": " + message;
    }

    static JsonNode convert(JsonNode node, Schema schema) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return F.nullNode();
        }
        switch (schema.type()) {
            case STRING:
                return node.isTextual() ? node : F.textNode(node.isValueNode() ? node.asText() : node.toString());
            case INT32:
                return F.numberNode(Math.toIntExact(integral(node, "INT")));
            case INT64:
                return F.numberNode(integral(node, "BIGINT"));
            case FLOAT64:
                if (node.isNumber()) {
                    return node.isDouble() ? node : F.numberNode(node.doubleValue());
                }
                if (node.isTextual()) {
                    try {
                        return F.numberNode(Double.parseDouble(node.textValue().trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a DOUBLE: " + node);
                    }
                }
                throw new IllegalArgumentException("not a DOUBLE: " + node);
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node;
                }
                if (node.isTextual() && ("true".equalsIgnoreCase(node.textValue()) || "false".equalsIgnoreCase(node.textValue()))) {
                    return F.booleanNode(Boolean.parseBoolean(node.textValue()));
                }
                throw new IllegalArgumentException("not a BOOLEAN: " + node);
            case STRUCT: {
                if (!node.isObject()) {
                    throw new IllegalArgumentException("not a STRUCT: " + node);
                }
                ObjectNode out = F.objectNode();
                for (Field f : schema.fields()) {
                    try {
                        out.set(f.name(), convert(node.get(f.name()), f.schema()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(prefix("/" + f.name(), e.getMessage()));
                    }
                }
                return out;
            }
            case ARRAY: {
                if (!node.isArray()) {
                    throw new IllegalArgumentException("not an ARRAY: " + node);
                }
                ArrayNode out = F.arrayNode(node.size());
                for (int i = 0; i < node.size(); i++) {
                    try {
                        out.add(convert(node.get(i), schema.valueSchema()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(prefix("/" + i, e.getMessage()));
                    }
                }
                return out;
            }
            default:
                throw new IllegalStateException("unsupported column type " + schema.type());
        }
    }
}
