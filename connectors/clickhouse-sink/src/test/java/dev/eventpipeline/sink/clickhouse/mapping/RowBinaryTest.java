package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.sink.clickhouse.config.TopicTableMapping;
import dev.eventpipeline.sink.clickhouse.schema.TableColumns;
import dev.eventpipeline.sink.clickhouse.testing.Events;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The RowBinary rows carry exactly the values of the JSONEachRow rows, decoded back by ClickHouse's rules. */
class RowBinaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicTableMapping TABLES = TopicTableMapping.parse(List.of("cart-events-raw:events_raw",
            "cart-events-enriched:wide"));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC);
    private final RowMapper json = new RowMapper(TABLES, CLOCK);
    private final RowMapper binary = new RowMapper(TABLES, CLOCK, FieldPaths.none(), RowMapper.UnknownFields.KEEP, "extra",
            RowMapper.InsertFormat.ROW_BINARY);

    @Test
    void eventsRawRowsDecodeToTheJsonRowsValues() throws Exception {
        var record = Events.record("cart-events-raw", 3, 42, Events.event("e-1"));
        Row asJson = json.map(record);
        Row asBinary = binary.map(record);
        assertThat(asJson.binary()).isFalse();
        assertThat(asBinary.binary()).isTrue();
        assertThat(asBinary.columns()).as("inserted_at is not mapped: its DEFAULT applies")
                .containsExactly("event_id", "type", "schema_version", "occurred_at", "user_id", "session_id", "store_id",
                        "payload", "raw", "status", "received_at", "ingest_task", "kafka_topic", "kafka_partition",
                        "kafka_offset");
        assertDecodesTo(asBinary, RowMapper.EVENTS_RAW, JSON.readTree(asJson.data()));
    }

    @Test
    void missingValuesLeaveTheirColumnOutAndNullsAndArraysAndNumbersAreEncoded() throws Exception {
        TableColumns wide = TableColumns.parse("wide", String.join("\n", "event_id\tString\t", "score\tNullable(Float64)\t",
                "ratio\tFloat32\t", "level\tInt8\t", "big\tUInt64\t", "day\tDate\t", "tags\tArray(String)\t",
                "note\tNullable(String)\t", "seen\tDateTime\t", "extra\tString\t"));
        String event = "{\"eventId\":\"e-2\",\"score\":null,\"ratio\":0.5,\"level\":-3,\"big\":18446744073709551615,"
                + "\"day\":\"2026-11-27\",\"tags\":[\"a\",\"é\"],\"seen\":\"2026-11-27T10:00:00Z\",\"other\":1}";
        var record = Events.record("cart-events-enriched", 0, 7, event);
        Row asBinary = binary.map(record, wide);
        Row asJson = json.map(record, wide);
        assertThat(asBinary.columns()).as("note has no value: left out")
                .containsExactly("event_id", "score", "ratio", "level", "big", "day", "tags", "seen", "extra");
        assertDecodesTo(asBinary, wide, JSON.readTree(asJson.data()));
        Row second = binary.map(Events.record("cart-events-enriched", 0, 8, event), wide);
        assertThat(second.columns()).as("one list per set of present columns: the inserter groups by it")
                .isSameAs(asBinary.columns());
    }

    @Test
    void tablesWithTypesWithoutABinaryEncodingGoAsJson() {
        TableColumns decimal = TableColumns.parse("wide", String.join("\n", "event_id\tString\t", "amount\tDecimal(18, 2)\t"));
        Row row = binary.map(Events.record("cart-events-enriched", 0, 1, "{\"eventId\":\"e\",\"amount\":1.5}"), decimal);
        assertThat(row.binary()).isFalse();
        assertThat(new String(row.data(), StandardCharsets.UTF_8)).contains("\"amount\":1.5");
    }

    @Test
    void lengthsAreLeb128AndNumbersLittleEndian() {
        RowBinaryBuffer out = new RowBinaryBuffer();
        out.varUInt(300);
        out.littleEndian(0x0102, 2);
        out.string("é");
        assertThat(out.toByteArray()).containsExactly(0xAC - 256, 0x02, 0x02, 0x01, 0x02, 0xC3 - 256, 0xA9 - 256);
    }

    /** Decodes a RowBinary row column by column and compares with the JSONEachRow row's value of each column. */
    private static void assertDecodesTo(Row row, TableColumns table, JsonNode jsonRow) {
        ByteBuffer in = ByteBuffer.wrap(row.data()).order(ByteOrder.LITTLE_ENDIAN);
        for (String column : row.columns()) {
            String type = table.columns().stream().filter(c -> c.name().equals(column)).findFirst().orElseThrow().type().name();
            Object decoded = decode(in, type);
            JsonNode expected = jsonRow.get(column);
            assertThat(expected).as(column + " in the JSON row").isNotNull();
            Object want = expected.isNull() ? null : expected.isArray() ? toList(expected)
                    : expected.isTextual() ? expected.textValue()
                    : expected.isBigInteger() ? expected.bigIntegerValue().toString()
                    : expected.isIntegralNumber() ? Long.toString(expected.longValue()) : Double.toString(expected.doubleValue());
            assertThat(decoded).as(column + " (" + type + ")").isEqualTo(want);
        }
        assertThat(in.remaining()).as("no bytes left over").isZero();
    }

    private static List<Object> toList(JsonNode array) {
        List<Object> out = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            out.add(it.next().textValue());
        }
        return out;
    }

    private static Object decode(ByteBuffer in, String type) {
        if (type.startsWith("Nullable(")) {
            return in.get() == 1 ? null : decode(in, type.substring(9, type.length() - 1));
        }
        if (type.startsWith("Array(")) {
            long n = varUInt(in);
            List<Object> items = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                items.add(decode(in, type.substring(6, type.length() - 1)));
            }
            return items;
        }
        return switch (type) {
            case "String" -> {
                byte[] b = new byte[(int) varUInt(in)];
                in.get(b);
                yield new String(b, StandardCharsets.UTF_8);
            }
            case "UInt8", "Int8" -> Long.toString(type.startsWith("U") ? in.get() & 0xFF : in.get());
            case "UInt32" -> Long.toString(in.getInt() & 0xFFFF_FFFFL);
            case "UInt64" -> Long.toUnsignedString(in.getLong());
            case "Float32" -> Double.toString(in.getFloat());
            case "Float64" -> Double.toString(in.getDouble());
            case "Date" -> LocalDate.ofEpochDay(in.getShort() & 0xFFFF).toString();
            default -> {
                if (type.startsWith("DateTime")) {
                    yield ColumnType.DATE_TIME_TEXT.format(Instant.ofEpochSecond(in.getInt() & 0xFFFF_FFFFL));
                }
                throw new IllegalArgumentException(type);
            }
        };
    }

    private static long varUInt(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
