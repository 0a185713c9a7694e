package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A ClickHouse column type as {@code system.columns} prints it, and how a JSON value is converted
 * to what {@code INSERT ... FORMAT JSONEachRow} accepts for it. Conversion is strict where
 * ClickHouse would be silently lenient (18.16 stores 0 for {@code null} in a non-Nullable number
 * and truncates "12abc"): a value that does not fit is an {@link IllegalArgumentException} whose
 * message says what was expected; the caller adds the column and record.
 *
 * <p>Types the connector does not know (Decimal, UUID, Enum, Tuple, ...) pass the JSON value
 * through unchanged and leave the check to ClickHouse (a rejected row is isolated by batch splitting).
 */
public final class ColumnType {
    enum Kind { STRING, SIGNED, UNSIGNED, FLOAT, DATE_TIME, DATE, ARRAY, OTHER }

    static final DateTimeFormatter DATE_TIME_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    static final Instant MAX_DATE_TIME = Instant.parse("2105-12-31T23:59:59Z");
    private static final Pattern CLICKHOUSE_DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d");
    private static final BigInteger MAX_UINT64 = new BigInteger("18446744073709551615");

    private final String name;
    private final Kind kind;
    private final boolean nullable;
    private final int bits;
    private final ColumnType element;
    private final boolean binary;
    /** An integer type's range as longs (UInt64 above Long.MAX_VALUE takes the BigInteger path); else empty. */
    private final long min;
    private final long max;

    private ColumnType(String name, Kind kind, boolean nullable, int bits, ColumnType element, boolean binary) {
        this.name = name;
        this.kind = kind;
        this.nullable = nullable;
        this.bits = bits;
        this.element = element;
        this.binary = binary;
        boolean integer = kind == Kind.SIGNED || kind == Kind.UNSIGNED;
        this.min = !integer ? 0 : kind == Kind.UNSIGNED ? 0 : bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
        this.max = !integer ? -1 : bits == 64 ? Long.MAX_VALUE
                : kind == Kind.UNSIGNED ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
    }

    /**
     * Whether {@link #writeBinary} can encode this type: String, (U)Int8..64, Float32/64, DateTime, Date,
     * and Nullable/Array of those. Others (FixedString, LowCardinality, Decimal, UUID,
     * Enum, DateTime64, ...) make the table's rows go as JSONEachRow.
     */
    public boolean binary() {
        return binary;
    }

    /**
     * Writes a value {@link #convert} returned (never null; {@code NullNode} only for Nullable types) in
     * ClickHouse's RowBinary encoding.
     */
    public void writeBinary(JsonNode converted, RowBinaryBuffer out) {
        if (nullable) {
            if (converted.isNull()) {
                out.byteValue(1);
                return;
            }
            out.byteValue(0);
        }
        switch (kind) {
            case STRING -> out.string(converted.textValue());
            case SIGNED, UNSIGNED -> out.littleEndian(converted.isBigInteger() ? converted.bigIntegerValue().longValue()
                    : converted.longValue(), bits / 8);
            case FLOAT -> {
                if (bits == 32) {
                    out.float32((float) converted.doubleValue());
                } else {
                    out.float64(converted.doubleValue());
                }
            }
            case DATE_TIME -> out.littleEndian(epochSecond(converted.textValue()), 4);
            case DATE -> out.littleEndian(LocalDate.parse(converted.textValue()).toEpochDay(), 2);
            case ARRAY -> {
                out.varUInt(converted.size());
                for (JsonNode item : converted) {
                    element.writeBinary(item, out);
                }
            }
            case OTHER -> throw new IllegalStateException(name + " has no RowBinary encoding here");
        }
    }

    /**
     * Writes a string the way {@code writeBinary(convert(TextNode))} would for a String or Nullable(String) column,
     * without the node; false (nothing written) for any other column type.
     */
    public boolean writeString(String value, RowBinaryBuffer out) {
        if (kind != Kind.STRING) {
            return false;
        }
        if (nullable) {
            out.byteValue(0);
        }
        out.string(value);
        return true;
    }

    /**
     * Writes an integer into a (Nullable) integer column, as {@code writeBinary(convert(LongNode))} would; false
     * (nothing written) for another column type or a value outside the column's range ({@link #convert} then
     * says why).
     */
    public boolean writeInteger(long value, RowBinaryBuffer out) {
        if ((kind != Kind.SIGNED && kind != Kind.UNSIGNED) || !fits(value)) {
            return false;
        }
        if (nullable) {
            out.byteValue(0);
        }
        out.littleEndian(value, bits / 8);
        return true;
    }

    /**
     * Writes epoch seconds into a (Nullable) DateTime column; false (nothing written) for another column type or
     * a time outside DateTime's range.
     */
    public boolean writeDateTime(long epochSecond, RowBinaryBuffer out) {
        if (kind != Kind.DATE_TIME || epochSecond < 0 || epochSecond > MAX_DATE_TIME.getEpochSecond()) {
            return false;
        }
        if (nullable) {
            out.byteValue(0);
        }
        out.littleEndian(epochSecond, 4);
        return true;
    }

    /** Seconds since the epoch of ClickHouse's UTC text 'YYYY-MM-DD hh:mm:ss' (what {@link #convert} returns). */
    static long epochSecond(String text) {
        return java.time.LocalDateTime.of(Integer.parseInt(text, 0, 4, 10), Integer.parseInt(text, 5, 7, 10),
                Integer.parseInt(text, 8, 10, 10), Integer.parseInt(text, 11, 13, 10), Integer.parseInt(text, 14, 16, 10),
                Integer.parseInt(text, 17, 19, 10)).toEpochSecond(ZoneOffset.UTC);
    }

    public static ColumnType parse(String type) {
        String t = type.trim();
        boolean nullable = false;
        boolean plain = true; // encodable as RowBinary by writeBinary
        if (t.startsWith("LowCardinality(") && t.endsWith(")")) {
            t = t.substring("LowCardinality(".length(), t.length() - 1).trim();
            plain = false;
        }
        if (t.startsWith("Nullable(") && t.endsWith(")")) {
            nullable = true;
            t = t.substring("Nullable(".length(), t.length() - 1).trim();
        }
        if (t.startsWith("Array(") && t.endsWith(")")) {
            ColumnType element = parse(t.substring("Array(".length(), t.length() - 1));
            return new ColumnType(type, Kind.ARRAY, nullable, 0, element, plain && element.binary);
        }
        Kind kind;
        int bits = 0;
        if (t.equals("String") || t.startsWith("FixedString(")) {
            kind = Kind.STRING;
            plain &= t.equals("String");
        } else if (t.matches("UInt(8|16|32|64)")) {
            kind = Kind.UNSIGNED;
            bits = Integer.parseInt(t.substring(4));
        } else if (t.matches("Int(8|16|32|64)")) {
            kind = Kind.SIGNED;
            bits = Integer.parseInt(t.substring(3));
        } else if (t.equals("Float32") || t.equals("Float64")) {
            kind = Kind.FLOAT;
            bits = Integer.parseInt(t.substring(5));
        } else if (t.equals("DateTime") || t.startsWith("DateTime(")) {
            kind = Kind.DATE_TIME; // RowBinary carries epoch seconds: no time-zone reading at all
        } else if (t.equals("Date")) {
            kind = Kind.DATE;
        } else {
            kind = Kind.OTHER;
            plain = false;
        }
        return new ColumnType(type, kind, nullable, bits, null, plain);
    }

    public String name() {
        return name;
    }

    public boolean nullable() {
        return nullable;
    }

    boolean isString() {
        return kind == Kind.STRING;
    }

    /**
     * The value to send, or {@code null} to leave the column out of the row (its DEFAULT applies).
     *
     * @throws IllegalArgumentException saying what was expected when the value does not fit
     */
    public JsonNode convert(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        if (value.isNull()) {
            return nullable ? NullNode.getInstance() : null;
        }
        return switch (kind) {
            case STRING -> value.isTextual() ? value : TextNode.valueOf(value.isValueNode() ? value.asText() : value.toString());
            case SIGNED, UNSIGNED -> integer(value);
            case FLOAT -> floating(value);
            case DATE_TIME -> TextNode.valueOf(dateTime(value));
            case DATE -> TextNode.valueOf(date(value));
            case ARRAY -> array(value);
            case OTHER -> value;
        };
    }

    private JsonNode integer(JsonNode value) {
        if ((value.isInt() || value.isLong()) && fits(value.longValue())) { // fast path: no BigInteger
            return value;
        }
        BigInteger number;
        if (value.isBoolean()) {
            number = value.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
        } else if (value.isIntegralNumber()) {
            number = value.bigIntegerValue();
        } else if (value.isNumber() && value.canConvertToExactIntegral()) {
            number = value.decimalValue().toBigIntegerExact();
        } else if (value.isTextual()) {
            try {
                number = new BigInteger(value.textValue().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer for " + name + ", got " + describe(value));
            }
        } else {
            throw new IllegalArgumentException("expected an integer for " + name + ", got " + describe(value));
        }
        BigInteger min = kind == Kind.UNSIGNED ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = kind == Kind.UNSIGNED
                ? (bits == 64 ? MAX_UINT64 : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE))
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw new IllegalArgumentException(number + " is outside " + name + "'s range " + min + ".." + max);
        }
        return number.bitLength() < 64 ? LongNode.valueOf(number.longValue())
                : JsonNodeFactory.instance.numberNode(number);
    }

    /** Whether a long is within this integer type's range. */
    private boolean fits(long v) {
        return v >= min && v <= max;
    }

    private JsonNode floating(JsonNode value) {
        if (value.isNumber()) {
            return value;
        }
        if (value.isTextual()) {
            try {
                return DoubleNode.valueOf(Double.parseDouble(value.textValue().trim()));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        if (value.isBoolean()) {
            return DoubleNode.valueOf(value.booleanValue() ? 1 : 0);
        }
        throw new IllegalArgumentException("expected a number for " + name + ", got " + describe(value));
    }

    /** ISO-8601 with offset, ClickHouse's own 'YYYY-MM-DD hh:mm:ss' (UTC), or epoch milliseconds. */
    private String dateTime(JsonNode value) {
        Instant instant;
        if (value.isIntegralNumber()) {
            instant = Instant.ofEpochMilli(value.longValue());
        } else if (value.isTextual() && isClickHouseDateTime(value.textValue())) {
            return value.textValue();
        } else if (value.isTextual() && fastUtc(value.textValue()) != null) {
            return fastUtc(value.textValue());
        } else if (value.isTextual()) {
            try {
                instant = OffsetDateTime.parse(value.textValue().trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected an ISO-8601 timestamp with offset (e.g. "
                        + "2026-11-27T08:00:00Z) or epoch milliseconds for " + name + ", got " + describe(value));
            }
        } else {
            throw new IllegalArgumentException("expected an ISO-8601 timestamp or epoch milliseconds for " + name
                    + ", got " + describe(value));
        }
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(MAX_DATE_TIME)) {
            throw new IllegalArgumentException(instant + " is outside " + name + "'s range 1970-01-01T00:00:00Z.."
                    + MAX_DATE_TIME);
        }
        return DATE_TIME_TEXT.format(instant);
    }

    /** 'YYYY-MM-DD hh:mm:ss' (checked without a regex: this is on the hot path of every row). */
    private static final int[] DIGITS = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

    /**
     * ClickHouse text for the common UTC form {@code YYYY-MM-DDThh:mm:ss[.fraction]Z} without parsing
     * (truncating to the second is dropping the fraction), or null for any other form (then the
     * full ISO parser decides). Date/time parsing was the largest cost per row.
     */
    public static String fastUtc(String s) {
        return fastUtcEpochSecond(s) < 0 ? null : s.substring(0, 10) + ' ' + s.substring(11, 19);
    }

    /** Seconds since the epoch of the form {@link #fastUtc} reads, without building its text; -1 for any other form. */
    public static long fastUtcEpochSecond(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(10) != 'T' || s.charAt(n - 1) != 'Z') {
            return -1;
        }
        if (n > 20 && (s.charAt(19) != '.' || n > 30)) {
            return -1;
        }
        for (int i = 20; i < n - 1; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return -1;
        }
        for (int i : DIGITS) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        int year = Integer.parseInt(s, 0, 4, 10);
        int month = Integer.parseInt(s, 5, 7, 10);
        int day = Integer.parseInt(s, 8, 10, 10);
        int hour = Integer.parseInt(s, 11, 13, 10);
        int minute = Integer.parseInt(s, 14, 16, 10);
        int second = Integer.parseInt(s, 17, 19, 10);
        if (year < 1970 || year > 2105 || month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    static boolean isClickHouseDateTime(String s) {
        if (s.length() != 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' '
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return false;
        }
        for (int i : DIGITS) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private String date(JsonNode value) {
        if (value.isTextual() && CLICKHOUSE_DATE.matcher(value.textValue()).matches()) {
            return value.textValue();
        }
        return LocalDate.ofInstant(Instant.from(DATE_TIME_TEXT.parse(dateTime(value))), ZoneOffset.UTC).toString();
    }

    private JsonNode array(JsonNode value) {
        if (!value.isArray()) {
            throw new IllegalArgumentException("expected a JSON array for " + name + ", got " + describe(value));
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
        for (JsonNode item : value) {
            JsonNode converted = element.convert(item);
            if (converted == null) {
                throw new IllegalArgumentException("expected no nulls in " + name + ", got " + describe(value));
            }
            out.add(converted);
        }
        return out;
    }

    static String describe(JsonNode value) {
        String text = value.toString();
        if (text.length() > 60) {
            text = text.substring(0, 60) + "...";
        }
        String kind = value instanceof BooleanNode ? "boolean" : value.getNodeType().name().toLowerCase(Locale.ROOT);
        return kind + " " + text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnType other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
