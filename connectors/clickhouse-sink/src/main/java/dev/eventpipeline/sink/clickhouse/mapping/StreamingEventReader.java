package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;

/**
 * The hot path of {@link RowMapper}: reads one event object with Jackson's streaming parser and keeps
 * only what the table's columns need, instead of building the whole event as a tree:
 * <ul>
 *   <li>the top-level fields in {@code wanted} become nodes of a partial {@link ObjectNode} (reused: valid
 *       until the next read), exactly as {@code ObjectMapper.readTree} would have built them (scalars here,
 *       floats, big numbers, objects and arrays by the same mapper);</li>
 *   <li>the field {@code textField} (the envelope's {@code payload}) is copied token by token as JSON text,
 *       UTF-8, into a reused buffer: the same text as {@code node.toString()}, without a tree;</li>
 *   <li>every other field is skipped, but still parsed: malformed JSON, duplicate keys, too-deep nesting and
 *       trailing content are still refused.</li>
 * </ul>
 * A read that fails for any reason returns false and leaves the record to the tree path, which produces the
 * exact error message; so this class never decides an error itself.
 *
 * <p>Not thread-safe: one per table plan of a task's mapper.
 */
public final class StreamingEventReader {
    private final JsonFactory factory;
    /**
     * Writes the text field as {@code node.toString()} does (default features), except that a surrogate pair
     * is written as one 4-byte UTF-8 character, as the String path's UTF-8 encoding does, not as two escapes.
     */
    private static final JsonFactory TEXT = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    /** The same configuration without FAIL_ON_TRAILING_TOKENS: reads one sub-tree in the middle of an event. */
    private final ObjectMapper subtrees;
    private final Set<String> wanted;
    private final String textField;
    private final ObjectNode event = JsonNodeFactory.instance.objectNode();
    private final Bytes text = new Bytes();
    private boolean hasText;

    /**
     * @param json      the mapper whose configuration the tree path uses (duplicate detection, depth limit)
     * @param wanted    top-level fields kept as nodes
     * @param textField top-level field kept as JSON text only, or null
     */
    public StreamingEventReader(ObjectMapper json, Set<String> wanted, String textField) {
        this.factory = json.getFactory();
        this.subtrees = json.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.wanted = Set.copyOf(wanted);
        this.textField = textField;
    }

    /** Reads UTF-8 JSON; false if it is not exactly one valid JSON object (then nothing is kept). */
    public boolean read(byte[] utf8) {
        try (JsonParser p = factory.createParser(utf8)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads JSON text; false if it is not exactly one valid JSON object (then nothing is kept). */
    public boolean read(String json) {
        try (JsonParser p = factory.createParser(json)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean read(JsonParser p) throws IOException {
        event.removeAll();
        text.reset();
        hasText = false;
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(textField)) {
                try (JsonGenerator g = TEXT.createGenerator(text)) {
                    g.copyCurrentStructure(p);
                }
                if (escapedSurrogate(text.buffer(), text.size())) {
                    return false; // an unpaired surrogate: the String path writes '?' for it, the generator an escape
                }
                hasText = true;
            } else if (wanted.contains(name)) {
                event.set(name, node(p, value));
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            event.removeAll();
            return false;
        }
        return true;
    }

    /** The node readTree builds for the current value: the common scalars directly, the rest by the mapper. */
    private JsonNode node(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.getInstance();
            case VALUE_NUMBER_INT:
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT) {
                    return IntNode.valueOf(p.getIntValue());
                }
                if (type == JsonParser.NumberType.LONG) {
                    return LongNode.valueOf(p.getLongValue());
                }
                return subtrees.readTree(p);
            default:
                return subtrees.readTree(p);
        }
    }

    /** The wanted fields of the last successful read (reused by the next read). */
    public ObjectNode event() {
        return event;
    }

    /** Whether the last read had the text field. */
    public boolean hasText() {
        return hasText;
    }

    /** The text field's JSON, UTF-8: {@code textBytes()[0 .. textLength())}. */
    public byte[] textBytes() {
        return text.buffer();
    }

    public int textLength() {
        return text.size();
    }

    /** The text field's JSON as a String (for column types written from text). */
    public String text() {
        return text.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Whether the generator wrote a {@code \\uD...} escape: only an unpaired surrogate gives one (other escapes
     * are control characters, {@code \\u00XX}); may also match an escaped backslash followed by "uD" (then the
     * tree path just does the work).
     */
    static boolean escapedSurrogate(byte[] bytes, int length) {
        for (int i = 0; i + 2 < length; i++) {
            if (bytes[i] == '\\' && bytes[i + 1] == 'u' && bytes[i + 2] == 'D') {
                return true;
            }
        }
        return false;
    }

    /** Whether every byte is 7-bit ASCII (then the bytes are valid UTF-8 as they are). */
    public static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(256);
        }

        byte[] buffer() {
            return buf;
        }
    }
}
