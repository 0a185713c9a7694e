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
 * makes {@link #project} return null: the record is skipped, as ksqlDB skips it to its processing log.
 */
public final class SourceSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static final Schema MONEY = SchemaBuilder.struct().optional()
            .field("amount", Schema.OPTIONAL_STRING_SCHEMA)
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    public static final Schema ITEM = SchemaBuilder.struct().optional()
            .field("sku", Schema.OPTIONAL_STRING_SCHEMA)
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("unitPrice", MONEY)
            .build();
    /** Union of the payload fields of every cart event type (assumptions in ksql/README.md). */
    public static final Schema PAYLOAD = SchemaBuilder.struct().optional()
            .field("cartId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("orderId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("sku", Schema.OPTIONAL_STRING_SCHEMA)
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("previousQuantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("unitPrice", MONEY)
            .field("items", SchemaBuilder.array(ITEM).optional().build())
            .field("total", MONEY)
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

    /** The event read into the declared columns, or null when ksqlDB could not deserialize it. */
    public static ObjectNode project(JsonNode event) {
        if (event == null || !event.isObject()) {
            return null;
        }
        try {
            return (ObjectNode) convert(event, VALUE);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode convert(JsonNode node, Schema schema) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return F.nullNode();
        }
        switch (schema.type()) {
            case STRING:
                return node.isTextual() ? node : F.textNode(node.isValueNode() ? node.asText() : node.toString());
            case INT32:
                if (node.isIntegralNumber() && node.canConvertToInt()) {
                    return node.isInt() ? node : F.numberNode(node.intValue());
                }
                if (node.isNumber()) {
                    return F.numberNode(node.intValue());
                }
                if (node.isTextual()) {
                    try {
                        return F.numberNode(Integer.parseInt(node.textValue().trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not an INT: " + node);
                    }
                }
                throw new IllegalArgumentException("not an INT: " + node);
            case STRUCT: {
                if (!node.isObject()) {
                    throw new IllegalArgumentException("not a STRUCT: " + node);
                }
                ObjectNode out = F.objectNode();
                for (Field f : schema.fields()) {
                    out.set(f.name(), convert(node.get(f.name()), f.schema()));
                }
                return out;
            }
            case ARRAY: {
                if (!node.isArray()) {
                    throw new IllegalArgumentException("not an ARRAY: " + node);
                }
                ArrayNode out = F.arrayNode(node.size());
                for (JsonNode element : node) {
                    out.add(convert(element, schema.valueSchema()));
                }
                return out;
            }
            default:
                throw new IllegalStateException("unsupported column type " + schema.type());
        }
    }
}
