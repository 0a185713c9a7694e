package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
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
import dev.eventpipeline.contract.JsonMapper;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hot path of {@link RowMapper}: reads one event object with Jackson's streaming parser and keeps
 * only what the table's columns need, instead of building the whole event as a tree:
 * <ul>
 *   <li>the top-level fields in {@code wanted} become nodes in numbered slots ({@link #slot}, {@link #value}),
 *       exactly as {@code ObjectMapper.readTree} would have built them (scalars here, floats, big numbers,
 *       objects and arrays by the same mapper), and a partial {@link ObjectNode} of them only when asked for
 *       ({@link #event()}; reused: valid until the next read);</li>
 *   <li>the field {@code textField} (the envelope's {@code payload}) is written token by token as JSON text,
 *       UTF-8, into a reused buffer: the same bytes as {@code node.toString()} encoded as UTF-8, without a
 *       tree;</li>
 *   <li>every other field is skipped, but still parsed: malformed JSON, duplicate keys, too-deep nesting and
 *       trailing content are still refused (duplicate keys by a scan of each object's keys here, instead of
 *       the parser's per-object HashSet).</li>
 * </ul>
 * A read that fails for any reason returns false and leaves the record to the tree path, which produces the
 * exact error message; so this class never decides an error itself.
 *
 * <p>Not thread-safe: one per table plan of a task's mapper.
 */
public final class StreamingEventReader {
    private final JsonFactory factory;
    /** The same configuration without FAIL_ON_TRAILING_TOKENS: reads one sub-tree in the middle of an event. */
    private final ObjectMapper subtrees;
    /** What each top-level field name is for: a slot (>= 0) or one of the codes below. */
    private final FieldCodes codes;
    private static final int TEXT = -1;
    private static final int SKIP = -2;
    private static final int REST = -3;
    /** The wanted fields by slot; their values of the last read (null: absent). */
    private final String[] slotNames;
    private final JsonNode[] slots;
    /** The sparse tree of remainder paths, and the slots once {@link #event()} added them. */
    private final ObjectNode event = JsonNodeFactory.instance.objectNode();
    private boolean slotsInEvent;
    private final Bytes text = new Bytes();
    private boolean hasText;
    /** Whether the reader writes the remainder (the constructor's {@code consumed} was given). */
    private final boolean remainder;
    /** Remainder mode: the configured paths whose head is not consumed, as a tree of field names. */
    private final PathNode paths = new PathNode();
    private final Bytes rest = new Bytes();
    private boolean hasRest;
    private final DoubleTexts doubles = new DoubleTexts();

    /**
     * @param json      the mapper whose configuration the tree path uses (duplicate detection, depth limit)
     * @param wanted    top-level fields kept as nodes
     * @param textField top-level field kept as JSON text only, or null
     */
    public StreamingEventReader(ObjectMapper json, Set<String> wanted, String textField) {
        this(json, wanted, textField, null, List.of());
    }

    /**
     * A reader that also writes the <em>remainder</em>: the event without the fields the columns took, as the
     * JSON text the tree path's {@code remainder(event).toString()} gives (UTF-8): top-level fields in
     * {@code consumed} (or {@code wanted}, or the text field) are left out, the leaves of {@code paths} are left
     * out (and kept as nodes in {@link #event()} under their path: a sparse tree the same path lookups work on),
     * objects on the way to a path leaf that end up empty are left out too; everything else is copied token by
     * token, in the event's order.
     *
     * @param consumed top-level fields never in the remainder (envelope, same-name columns); null: no remainder
     * @param paths    configured paths (dotted field paths as segments) whose head is not in {@code consumed}
     */
    public StreamingEventReader(ObjectMapper json, Set<String> wanted, String textField, Set<String> consumed,
                                List<List<String>> paths) {
        this.remainder = consumed != null;
        for (List<String> path : paths) {
            PathNode node = this.paths;
            for (String segment : path) {
                node = node.children.computeIfAbsent(segment, k -> new PathNode());
            }
            node.leaf = true;
        }
        // its own factory (same settings) with one buffer recycler: a parser per record otherwise looks its
        // recycler up in a ThreadLocal, a measurable share of a 300-byte event's parse on the task thread
        this.factory = json.getFactory().rebuild().recyclerPool(new OwnRecycler()).build();
        this.subtrees = json.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        this.slotNames = wanted.stream().sorted().toArray(String[]::new);
        this.slots = new JsonNode[slotNames.length];
        Map<String, Integer> byName = new HashMap<>();
        if (consumed != null) {
            consumed.forEach(name -> byName.put(name, SKIP));
        }
        for (int i = 0; i < slotNames.length; i++) {
            byName.put(slotNames[i], i);
        }
        if (textField != null) {
            byName.put(textField, TEXT);
        }
        this.codes = new FieldCodes(byName, remainder ? REST : SKIP);
    }

    /** The slot of a wanted field, -1 if it is not wanted. */
    public int slot(String field) {
        return Math.max(codes.of(field), -1); // the other codes are negative
    }

    /** The node of a wanted field in the last successful read, by its {@link #slot}; null if absent. */
    public JsonNode value(int slot) {
        return slots[slot];
    }

    /** Reads UTF-8 JSON; false if it is not exactly one valid JSON object (then nothing is kept). */
    public boolean read(byte[] utf8) {
        try (JsonParser p = factory.createParser(utf8)) {
            return read(p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)) || forget();
        } catch (IOException | RuntimeException e) {
            return forget();
        }
    }

    /** Reads JSON text; false if it is not exactly one valid JSON object (then nothing is kept). */
    public boolean read(String json) {
        try (JsonParser p = factory.createParser(json)) {
            return read(p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)) || forget();
        } catch (IOException | RuntimeException e) {
            return forget();
        }
    }

    /** Drops everything the last read kept; false, for a failed read's return. */
    private boolean forget() {
        event.removeAll();
        java.util.Arrays.fill(slots, null);
        slotsInEvent = false;
        text.reset();
        rest.reset();
        hasText = false;
        hasRest = false;
        return false;
    }

    private boolean read(JsonParser p) throws IOException {
        forget();
        level = 0;
        nameCount = 0;
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        enterObject();
        int restMembers = 0;
        if (remainder) {
            rest.put((byte) '{');
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!addName(name)) {
                return false;
            }
            int code = codes.of(name);
            if (code == REST) {
                int n = member(p, paths, event, restMembers);
                if (n < 0) {
                    return false;
                }
                restMembers += n;
                continue;
            }
            JsonToken value = p.nextToken();
            if (code >= 0) {
                slots[code] = node(p, value);
            } else if (code == TEXT) {
                if (!copy(p, value, text)) {
                    return false;
                }
                hasText = true;
            } else if (!skip(p, value)) {
                return false;
            }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            return false;
        }
        if (restMembers > 0) {
            rest.put((byte) '}');
            hasRest = true;
        }
        return true;
    }

    /**
     * At a field name inside an object of the remainder (under path node {@code at}, whose sparse node is
     * {@code sparse}): a path leaf is kept as a node and left out; an object on the way to a path leaf is
     * filtered the same way (and left out if nothing of it remains); anything else is copied. Returns the
     * members written (0 or 1), -1 if the read fails.
     */
    private int member(JsonParser p, PathNode at, ObjectNode sparse, int membersBefore) throws IOException {
        String name = p.currentName();
        PathNode child = at.children.get(name);
        if (child != null && child.leaf) {
            sparse.set(name, node(p, p.nextToken()));
            return 0;
        }
        int mark = rest.size();
        if (membersBefore > 0) {
            rest.put((byte) ',');
        }
        quoted(rest, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        rest.put((byte) ':');
        JsonToken value = p.nextToken();
        if (child != null && value == JsonToken.START_OBJECT) {
            ObjectNode childSparse = sparse.putObject(name);
            rest.put((byte) '{');
            enterObject();
            int members = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (!addName(p.currentName())) {
                    return -1;
                }
                int n = member(p, child, childSparse, members);
                if (n < 0) {
                    return -1;
                }
                members += n;
            }
            if (t != JsonToken.END_OBJECT) {
                return -1;
            }
            exitObject();
            if (members == 0) { // emptied (or empty) on the way to a path: the tree path removes it
                rest.truncate(mark);
                return 0;
            }
            rest.put((byte) '}');
            return 1;
        }
        return copy(p, value, rest) ? 1 : -1;
    }

    /**
     * Writes the current value with everything in it as JSON text, UTF-8, exactly as {@code node.toString()}
     * of the tree would be encoded by the String path: no whitespace, Jackson's escapes (quote, backslash,
     * {@code \\b \\t \\n \\f \\r}, other control characters as {@code \\u00XX}), numbers as the tree's
     * nodes print them (int, long, BigInteger, double), an unpaired surrogate as '?'. False for a number the
     * tree would print differently (a double too large for its range): then the tree path does it.
     */
    private boolean copy(JsonParser p, JsonToken first, Bytes text) throws IOException {
        JsonToken t = first;
        int depth = 0;
        long hasElements = 0; // bit d: the container at depth d already has an element
        boolean afterName = false;
        while (true) {
            if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
                if (afterName) {
                    afterName = false;
                } else if (depth > 0) {
                    long bit = 1L << depth;
                    if ((hasElements & bit) != 0) {
                        text.put((byte) ',');
                    }
                    hasElements |= bit;
                }
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    text.put((byte) (t == JsonToken.START_OBJECT ? '{' : '['));
                    depth++;
                    hasElements &= ~(1L << depth);
                    if (t == JsonToken.START_OBJECT) {
                        enterObject();
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    text.put((byte) (t == JsonToken.END_OBJECT ? '}' : ']'));
                    depth--;
                    if (t == JsonToken.END_OBJECT) {
                        exitObject();
                    }
                }
                case FIELD_NAME -> {
                    if (!addName(p.currentName())) {
                        return false;
                    }
                    quoted(text, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    text.put((byte) ':');
                    afterName = true;
                }
                case VALUE_STRING -> quoted(text, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_NUMBER_INT -> {
                    JsonParser.NumberType type = p.getNumberType();
                    if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                        text.decimal(p.getLongValue());
                    } else {
                        text.ascii(p.getBigIntegerValue().toString());
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    if (p.getNumberType() != JsonParser.NumberType.DOUBLE || !doubles.write(p, text)) {
                        return false;
                    }
                }
                case VALUE_TRUE -> text.ascii("true");
                case VALUE_FALSE -> text.ascii("false");
                case VALUE_NULL -> text.ascii("null");
                default -> {
                    return false;
                }
            }
            if (depth == 0) {
                return true;
            }
            t = p.nextToken();
            if (t == null) {
                return false;
            }
        }
    }

    /** Skips the current value, refusing duplicate keys in its objects; false on a duplicate. */
    private boolean skip(JsonParser p, JsonToken first) throws IOException {
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            return true;
        }
        int depth = 0;
        JsonToken t = first;
        while (true) {
            switch (t) {
                case START_OBJECT -> {
                    depth++;
                    enterObject();
                }
                case START_ARRAY -> depth++;
                case END_OBJECT -> {
                    depth--;
                    exitObject();
                }
                case END_ARRAY -> depth--;
                case FIELD_NAME -> {
                    if (!addName(p.currentName())) {
                        return false;
                    }
                }
                default -> {
                }
            }
            if (depth == 0) {
                return true;
            }
            t = p.nextToken();
            if (t == null) {
                return false;
            }
        }
    }

    // Duplicate keys, per object, as the parser's STRICT_DUPLICATE_DETECTION would refuse them (it allocates
    // a HashSet per object with more than two keys; events have few keys: a linear scan is cheaper).
    private String[] names = new String[64];
    private int[] nameHashes = new int[64];
    private int nameCount;
    private final int[] objectStarts = new int[JsonMapper.MAX_NESTING_DEPTH + 2];
    private int level;

    private void enterObject() {
        objectStarts[level++] = nameCount;
    }

    private void exitObject() {
        nameCount = objectStarts[--level];
    }

    /** False if the current object already has the key. */
    private boolean addName(String name) {
        int hash = name.hashCode(); // cached in the parser's canonical name Strings: the scan compares ints
        for (int i = objectStarts[level - 1]; i < nameCount; i++) {
            if (nameHashes[i] == hash && names[i].equals(name)) {
                return false;
            }
        }
        if (nameCount == names.length) {
            names = java.util.Arrays.copyOf(names, nameCount * 2);
            nameHashes = java.util.Arrays.copyOf(nameHashes, nameCount * 2);
        }
        nameHashes[nameCount] = hash;
        names[nameCount++] = name;
        return true;
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A JSON string: Jackson's escapes, UTF-8, '?' for an unpaired surrogate (as String.getBytes does). */
    private static void quoted(Bytes out, char[] chars, int offset, int length) {
        out.ensure(length * 3 + 2);
        out.putUnchecked((byte) '"');
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out.putUnchecked((byte) c);
                    continue;
                }
                out.ensure(6 + (end - i) * 3);
                out.putUnchecked((byte) '\\');
                switch (c) {
                    case '"' -> out.putUnchecked((byte) '"');
                    case '\\' -> out.putUnchecked((byte) '\\');
                    case '\b' -> out.putUnchecked((byte) 'b');
                    case '\t' -> out.putUnchecked((byte) 't');
                    case '\n' -> out.putUnchecked((byte) 'n');
                    case '\f' -> out.putUnchecked((byte) 'f');
                    case '\r' -> out.putUnchecked((byte) 'r');
                    default -> {
                        out.putUnchecked((byte) 'u');
                        out.putUnchecked((byte) '0');
                        out.putUnchecked((byte) '0');
                        out.putUnchecked(HEX[c >> 4]);
                        out.putUnchecked(HEX[c & 0xF]);
                    }
                }
            } else if (c < 0x800) {
                out.putUnchecked((byte) (0xC0 | (c >> 6)));
                out.putUnchecked((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                    int cp = Character.toCodePoint(c, chars[++i]);
                    out.putUnchecked((byte) (0xF0 | (cp >> 18)));
                    out.putUnchecked((byte) (0x80 | ((cp >> 12) & 0x3F)));
                    out.putUnchecked((byte) (0x80 | ((cp >> 6) & 0x3F)));
                    out.putUnchecked((byte) (0x80 | (cp & 0x3F)));
                } else {
                    out.putUnchecked((byte) '?');
                }
            } else {
                out.putUnchecked((byte) (0xE0 | (c >> 12)));
                out.putUnchecked((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.putUnchecked((byte) (0x80 | (c & 0x3F)));
            }
        }
        out.putUnchecked((byte) '"');
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

    /**
     * The wanted fields (and the remainder paths' sparse tree) of the last successful read as one object
     * (reused by the next read). Built on the first call after a read: the hot path reads slots instead.
     */
    public ObjectNode event() {
        if (!slotsInEvent) {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    event.set(slotNames[i], slots[i]);
                }
            }
            slotsInEvent = true;
        }
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
        return new String(text.buffer(), 0, text.size(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the last read (of a remainder reader) left anything for the remainder. */
    public boolean hasRest() {
        return hasRest;
    }

    /** The remainder's JSON, UTF-8: {@code restBytes()[0 .. restLength())}; valid when {@link #hasRest()}. */
    public byte[] restBytes() {
        return rest.buffer();
    }

    public int restLength() {
        return rest.size();
    }

    /** The remainder as a String (for tests and unknown-fields columns not written from bytes). */
    public String rest() {
        return new String(rest.buffer(), 0, rest.size(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Top-level field name to code, open addressing on the String's cached hash: one probe per field instead of
     * three set lookups; the parser hands out canonical name Strings, so the first comparison is by identity.
     */
    private static final class FieldCodes {
        private final String[] names;
        private final int[] codes;
        private final int mask;
        private final int otherwise;

        FieldCodes(Map<String, Integer> byName, int otherwise) {
            int size = Integer.highestOneBit(Math.max(4, byName.size() * 4) - 1) << 1;
            this.names = new String[size];
            this.codes = new int[size];
            this.mask = size - 1;
            this.otherwise = otherwise;
            byName.forEach((name, code) -> {
                int i = spread(name.hashCode()) & mask;
                while (names[i] != null) {
                    i = (i + 1) & mask;
                }
                names[i] = name;
                codes[i] = code;
            });
        }

        int of(String name) {
            int i = spread(name.hashCode()) & mask;
            String seen;
            while ((seen = names[i]) != null) {
                if (seen == name || seen.equals(name)) {
                    return codes[i];
                }
                i = (i + 1) & mask;
            }
            return otherwise;
        }

        private static int spread(int hash) {
            return hash ^ (hash >>> 16);
        }
    }

    /** A node of the configured paths: a leaf is a column's value; children lead to deeper leaves. */
    private static final class PathNode {
        final Map<String, PathNode> children = new HashMap<>();
        boolean leaf;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** Whether every byte is 7-bit ASCII (then the bytes are valid UTF-8 as they are). Eight bytes per step. */
    public static boolean isAscii(byte[] bytes) {
        long seen = 0;
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            seen |= (long) LONGS.get(bytes, i);
        }
        for (; i < bytes.length; i++) {
            seen |= bytes[i]; // sign extension keeps a high bit set in the low byte too
        }
        return (seen & HIGH_BITS) == 0;
    }

    /**
     * The reader's one {@link BufferRecycler} (the reader is single-threaded and closes each parser before the
     * next): acquiring it is a field read. A second parser opened while the first is open gets a fresh one.
     */
    private static final class OwnRecycler implements RecyclerPool<BufferRecycler> {
        private static final long serialVersionUID = 1L;
        private transient BufferRecycler idle;

        @Override
        public BufferRecycler acquirePooled() {
            BufferRecycler recycler = idle;
            idle = null;
            return recycler != null ? recycler : new BufferRecycler();
        }

        @Override
        public void releasePooled(BufferRecycler recycler) {
            idle = recycler;
        }
    }

    /**
     * {@code Double.toString} of the float literals seen last (64 slots by the literal's hash): the tree prints a
     * double that way, and parsing and printing it again is a measurable share of a payload's copy, while the
     * same prices and amounts recur from event to event. A hit writes exactly what a miss computes.
     */
    private static final class DoubleTexts {
        private static final int SLOTS = 64;
        private final char[][] literals = new char[SLOTS][];
        private final byte[][] printed = new byte[SLOTS][];

        /** Writes the current float token as the tree prints it; false if it is not finite (the tree path's case). */
        boolean write(JsonParser p, Bytes out) throws IOException {
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            int hash = 0;
            for (int i = offset; i < offset + length; i++) {
                hash = 31 * hash + chars[i];
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            char[] seen = literals[slot];
            if (seen == null || !java.util.Arrays.equals(seen, 0, seen.length, chars, offset, offset + length)) {
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    return false;
                }
                literals[slot] = java.util.Arrays.copyOfRange(chars, offset, offset + length);
                printed[slot] = Double.toString(d).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            out.bytes(printed[slot]);
            return true;
        }
    }

    /** A growable byte buffer without ByteArrayOutputStream's locking. */
    private static final class Bytes {
        private byte[] buf = new byte[512];
        private int size;

        void reset() {
            size = 0;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        int size() {
            return size;
        }

        byte[] buffer() {
            return buf;
        }

        void ensure(int more) {
            if (size + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void put(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void putUnchecked(byte b) {
            buf[size++] = b;
        }

        /** A long in decimal, as Long.toString writes it (without the String). */
        void decimal(long value) {
            if (value == Long.MIN_VALUE) {
                ascii(Long.toString(value));
                return;
            }
            ensure(20);
            long v = value;
            if (v < 0) {
                buf[size++] = '-';
                v = -v;
            }
            int start = size;
            do {
                buf[size++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
            for (int i = start, j = size - 1; i < j; i++, j--) {
                byte b = buf[i];
                buf[i] = buf[j];
                buf[j] = b;
            }
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) s.charAt(i);
            }
        }
    }
}
