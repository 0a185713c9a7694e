package dev.eventpipeline.ksql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import java.io.IOException;

/**
 * Reads record bytes straight into the source columns with a streaming parser: no intermediate tree
 * of the whole event (fields that are not columns are skipped, not built). Values already of the
 * declared type take the fast path; anything else (a number in a STRING column, text in an INT
 * column, a wrong container) is read as a tree and handed to {@link SourceSchema#convert}, so the
 * coercions and error reasons are exactly those of the tree path. Same parser rules as the
 * contract's mapper: duplicate keys and trailing tokens are errors, nesting is bounded.
 */
final class SourceReader {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Reads one value's subtree mid-stream (the trailing-token check is done once, for the whole record). */
    private static final ObjectReader TREES = JsonMapper.get().reader()
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonMapper.MAX_NESTING_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SourceReader() {
    }

    /** @throws UnreadableRecordException with the reason, as {@link SourceSchema#read} documents */
    static ObjectNode read(byte[] value) {
        try (JsonParser p = FACTORY.createParser(value)) {
            JsonToken first;
            try {
                first = p.nextToken();
            } catch (IOException e) {
                throw notJson(e);
            }
            if (first == null) {
                throw new UnreadableRecordException("not JSON: empty value");
            }
            if (first != JsonToken.START_OBJECT) {
                JsonNode node = tree(p);
                trailing(p);
                throw new UnreadableRecordException("not a JSON object: the value is "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            ObjectNode row;
            try {
                row = struct(p, SourceSchema.VALUE);
            } catch (IllegalArgumentException e) {
                throw new UnreadableRecordException(e.getMessage());
            }
            trailing(p);
            return row;
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static void trailing(JsonParser p) {
        try {
            JsonToken t = p.nextToken();
            if (t != null) {
                throw new UnreadableRecordException("not JSON: trailing token (" + t + ") after the value");
            }
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static UnreadableRecordException notJson(IOException e) {
        String message = e.getMessage() == null ? "unreadable" : e.getMessage();
        int nl = message.indexOf('\n');
        return new UnreadableRecordException("not JSON: " + (nl < 0 ? message : message.substring(0, nl)));
    }

    /** The parser is on START_OBJECT; returns the declared fields in order, absent ones null. */
    private static ObjectNode struct(JsonParser p, Schema schema) throws IOException {
        ObjectNode out = F.objectNode();
        for (Field f : schema.fields()) {
            out.putNull(f.name());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken token = p.nextToken();
            Field f = schema.field(name);
            if (f == null) {
                p.skipChildren(); // not a column: ksqlDB drops it, the twin never builds it
                continue;
            }
            try {
                out.set(name, value(p, token, f.schema()));
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                throw new IllegalArgumentException(m.startsWith("/") ? "/" + name + m : "/" + name + ": " + m);
            }
        }
        return out;
    }

    private static JsonNode value(JsonParser p, JsonToken token, Schema schema) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return F.nullNode();
        }
        switch (schema.type()) {
            case STRING:
                if (token == JsonToken.VALUE_STRING) {
                    return F.textNode(p.getText());
                }
                break;
            case INT32:
                if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                    return F.numberNode(p.getIntValue());
                }
                break;
            case INT64:
                if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return F.numberNode(p.getLongValue());
                }
                break;
            case FLOAT64:
                if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
                    return F.numberNode(p.getDoubleValue());
                }
                break;
            case BOOLEAN:
                if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                    return F.booleanNode(token == JsonToken.VALUE_TRUE);
                }
                break;
            case STRUCT:
                if (token == JsonToken.START_OBJECT) {
                    return struct(p, schema);
                }
                break;
            case ARRAY:
                if (token == JsonToken.START_ARRAY) {
                    ArrayNode out = F.arrayNode();
                    int i = 0;
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
                        try {
                            out.add(value(p, t, schema.valueSchema()));
                        } catch (IllegalArgumentException e) {
                            String m = e.getMessage();
                            throw new IllegalArgumentException(m.startsWith("/") ? "/" + i + m : "/" + i + ": " + m);
                        }
                    }
                    return out;
                }
                break;
            default:
                break;
        }
        // not the declared type as sent: the tree path's coercions and error reasons
        return SourceSchema.convert(tree(p), schema);
    }

    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNode node = TREES.readTree(p);
        return node == null ? F.nullNode() : node;
    }
}
