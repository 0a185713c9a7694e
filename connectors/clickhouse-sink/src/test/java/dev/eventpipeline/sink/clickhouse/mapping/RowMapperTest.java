package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.sink.clickhouse.config.TopicTableMapping;
import dev.eventpipeline.sink.clickhouse.schema.TableColumns;
import dev.eventpipeline.sink.clickhouse.testing.Events;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RowMapper mapper = new RowMapper(
            TopicTableMapping.parse(List.of("cart-events-raw:events_raw", "cart-events-validated:events_valid")),
            Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC));

    @Test
    void recordsOfSeveralTopicsGoToTheirOwnTablesInAnyOrder() {
        // the last topic's table is remembered: switching topics (and new String instances) must not reuse it
        for (String topic : List.of("cart-events-raw", "cart-events-validated", new String("cart-events-validated"),
                "cart-events-raw", new String("cart-events-raw"), "cart-events-validated")) {
            assertThat(mapper.tableFor(Events.record(topic, 0, 1, Events.event("e-1"))))
                    .isEqualTo(topic.equals("cart-events-raw") ? "events_raw" : "events_valid");
        }
        assertThatThrownBy(() -> mapper.tableFor(Events.record("elsewhere", 0, 1, Events.event("e-1"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("no table for topic 'elsewhere'");
        assertThat(mapper.tableFor(Events.record("cart-events-raw", 0, 1, Events.event("e-1")))).isEqualTo("events_raw");
    }

    @Test
    void mapsEveryColumn() throws Exception {
        String event = Events.event("e-1");
        Row row = mapper.map(Events.record("cart-events-raw", 3, 42, event));

        assertThat(row.table()).isEqualTo("events_raw");
        assertThat(row.topic()).isEqualTo("cart-events-raw");
        assertThat(row.partition()).isEqualTo(3);
        assertThat(row.offset()).isEqualTo(42);
        JsonNode json = JSON.readTree(row.data());
        assertThat(fieldNames(json)).containsExactly("event_id", "type", "schema_version", "occurred_at", "user_id",
                "session_id", "store_id", "payload", "raw", "status", "received_at", "ingest_task", "kafka_topic",
                "kafka_partition", "kafka_offset");
        assertThat(json.get("event_id").textValue()).isEqualTo("e-1");
        assertThat(json.get("type").textValue()).isEqualTo("cart.item_added");
        assertThat(json.get("schema_version").longValue()).isEqualTo(1);
        assertThat(json.get("occurred_at").textValue()).isEqualTo("2026-11-27 08:00:00");
        assertThat(json.get("user_id").textValue()).isEqualTo("u-42");
        assertThat(json.get("session_id").textValue()).isEqualTo("s-7");
        assertThat(json.get("store_id").textValue()).isEqualTo("store-1");
        assertThat(json.get("payload").textValue()).isEqualTo("{\"sku\":\"A-1\",\"quantity\":2}");
        assertThat(json.get("raw").textValue()).isEqualTo(event);
        assertThat(json.get("status").textValue()).isEqualTo("accepted");
        assertThat(json.get("received_at").textValue()).isEqualTo("2026-11-27 08:00:01");
        assertThat(json.get("ingest_task").textValue()).isEqualTo("event-source-0");
        assertThat(json.get("kafka_topic").textValue()).isEqualTo("cart-events-raw");
        assertThat(json.get("kafka_partition").intValue()).isEqualTo(3);
        assertThat(json.get("kafka_offset").longValue()).isEqualTo(42);
        assertThat(new String(row.data(), StandardCharsets.UTF_8)).doesNotContain("\n");
    }

    @Test
    void missingOptionalFieldsGetDefaults() throws Exception {
        JsonNode json = JSON.readTree(mapper.map(Events.record("cart-events-raw", 0, 1,
                "{\"eventId\":\"e-2\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"userId\":null}")).data());

        assertThat(json.get("user_id").isNull()).isTrue();
        assertThat(json.get("type").textValue()).isEmpty();
        assertThat(json.get("schema_version").longValue()).isZero();
        assertThat(json.get("session_id").textValue()).isEmpty();
        assertThat(json.get("store_id").textValue()).isEmpty();
        assertThat(json.get("payload").textValue()).isEmpty();
    }

    @Test
    void missingOccurredAtFallsBackToReceivedAt() throws Exception {
        JsonNode json = JSON.readTree(mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\"}")).data());

        assertThat(json.get("occurred_at").textValue()).isEqualTo(json.get("received_at").textValue());
    }

    @Test
    void occurredAtWithOffsetIsConvertedToUtc() throws Exception {
        JsonNode json = JSON.readTree(mapper.map(Events.record("cart-events-raw", 0, 1,
                "{\"eventId\":\"e\",\"occurredAt\":\"2026-11-27T10:30:15.999+02:00\"}")).data());

        assertThat(json.get("occurred_at").textValue()).isEqualTo("2026-11-27 08:30:15");
    }

    @Test
    void receivedAtFromNumericOrBinaryHeaderElseRecordTimestampElseClock() throws Exception {
        String event = "{\"eventId\":\"e\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}";
        assertThat(receivedAt(Events.record("cart-events-raw", 0, 1, event,
                new ConnectHeaders().addLong(EventHeaders.RECEIVED_AT, 1795766460000L)))).isEqualTo("2026-11-27 08:01:00");
        assertThat(receivedAt(Events.record("cart-events-raw", 0, 1, event,
                new ConnectHeaders().addBytes(EventHeaders.RECEIVED_AT, "1795766520000".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("2026-11-27 08:02:00");
        assertThat(receivedAt(Events.record("cart-events-raw", 0, 1, event,
                new ConnectHeaders().addBytes(EventHeaders.RECEIVED_AT, " 1795766580000\n".getBytes(StandardCharsets.UTF_8)))))
                .as("not only digits: parsed as text, trimmed").isEqualTo("2026-11-27 08:03:00");
        assertThat(receivedAt(Events.record("cart-events-raw", 0, 1, event,
                new ConnectHeaders().addBytes(EventHeaders.RECEIVED_AT, "17957665x0000".getBytes(StandardCharsets.UTF_8)))))
                .as("not a number: the record timestamp").isEqualTo("2026-11-27 08:00:02");
        assertThat(receivedAt(Events.record("cart-events-raw", 0, 1, event,
                new ConnectHeaders().addString(EventHeaders.RECEIVED_AT, "yesterday")))).isEqualTo("2026-11-27 08:00:02");
        assertThat(receivedAt(new SinkRecord("cart-events-raw", 0, null, null, null, event, 1, null,
                TimestampType.NO_TIMESTAMP_TYPE))).isEqualTo("2026-11-27 09:00:00");
    }

    @Test
    void digitsAreOnlyPlainAsciiDecimals() {
        assertThat(RowMapper.digits("1795766520000".getBytes(StandardCharsets.US_ASCII))).isEqualTo(1795766520000L);
        assertThat(RowMapper.digits("0".getBytes(StandardCharsets.US_ASCII))).isZero();
        assertThat(RowMapper.digits("999999999999999999".getBytes(StandardCharsets.US_ASCII))).isEqualTo(999_999_999_999_999_999L);
        for (String other : List.of("", "+1", "-1", " 1", "1 ", "1.0", "1e3", "9999999999999999999", "١٢")) {
            assertThat(RowMapper.digits(other.getBytes(StandardCharsets.UTF_8))).as(other).isEqualTo(-1);
        }
    }

    @Test
    void acceptsBytesAndMaps() throws Exception {
        Row fromBytes = mapper.map(Events.record("cart-events-raw", 0, 1, Events.event("e-b").getBytes(StandardCharsets.UTF_8)));
        assertThat(JSON.readTree(fromBytes.data()).get("raw").textValue()).isEqualTo(Events.event("e-b"));

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("eventId", "e-m");
        map.put("occurredAt", "2026-11-27T08:00:00Z");
        map.put("payload", Map.of("sku", "A"));
        JsonNode json = JSON.readTree(mapper.map(Events.record("cart-events-raw", 0, 1, map)).data());
        assertThat(json.get("event_id").textValue()).isEqualTo("e-m");
        assertThat(json.get("payload").textValue()).isEqualTo("{\"sku\":\"A\"}");
        assertThat(JSON.readTree(json.get("raw").textValue()).get("eventId").textValue()).isEqualTo("e-m");
    }

    @Test
    void statusAndTableFollowTheTopic() throws Exception {
        Row row = mapper.map(Events.record("cart-events-validated", 0, 1, Events.event("e")));

        assertThat(row.table()).isEqualTo("events_valid");
        assertThat(JSON.readTree(row.data()).get("status").textValue()).isEqualTo("validated");
    }

    @Test
    void notJsonIsADataExceptionNamingTheRecord() {
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 2, 17, "not json")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("cart-events-raw-2@17")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void missingEventIdIsADataExceptionNamingFieldAndRecord() {
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 1, 5, "{\"type\":\"cart.viewed\"}")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("cart-events-raw-1@5")
                .hasMessageContaining("field 'eventId' is missing");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 1, 6, "{\"eventId\":\"  \"}")))
                .isInstanceOf(DataException.class).hasMessageContaining("field 'eventId' is blank");
    }

    @Test
    void wrongTypesAreDataExceptionsNamingTheField() {
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":7}")))
                .isInstanceOf(DataException.class).hasMessageContaining("field 'eventId' must be a string, got number");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\",\"schemaVersion\":\"1\"}")))
                .isInstanceOf(DataException.class).hasMessageContaining("field 'schemaVersion' (column schema_version) must be an integer");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\",\"schemaVersion\":-1}")))
                .isInstanceOf(DataException.class).hasMessageContaining("schemaVersion");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\",\"occurredAt\":\"27/11/2026\"}")))
                .isInstanceOf(DataException.class).hasMessageContaining("field 'occurredAt' must be an ISO-8601 timestamp");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\",\"userId\":{}}")))
                .isInstanceOf(DataException.class).hasMessageContaining("field 'userId' must be a string, got object");
    }

    @Test
    void timesOutsideDateTimeRangeAreRejected() {
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\",\"occurredAt\":\"1969-12-31T23:59:59Z\"}")))
                .isInstanceOf(DataException.class).hasMessageContaining("outside ClickHouse DateTime's range");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "{\"eventId\":\"e\",\"occurredAt\":\"2106-01-01T00:00:00Z\"}")))
                .isInstanceOf(DataException.class).hasMessageContaining("occurredAt");
    }

    @Test
    void nonObjectsNullsAndOtherTypesAreRejected() {
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, "[1,2]")))
                .isInstanceOf(DataException.class).hasMessageContaining("must be a JSON object, got array");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, null)))
                .isInstanceOf(DataException.class).hasMessageContaining("value is null");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, 42)))
                .isInstanceOf(DataException.class).hasMessageContaining("unsupported value type java.lang.Integer");
        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-raw", 0, 1, new byte[]{(byte) 0xC3, (byte) 0x28})))
                .isInstanceOf(DataException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void unmappedTopicIsAConnectExceptionSayingWhatToAdd() {
        assertThatThrownBy(() -> mapper.map(Events.record("other", 0, 1, Events.event("e"))))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(DataException.class)
                .hasMessageContaining("add 'other:<table>' to topics.tables");
    }

    @Test
    void kafkaColumnsUseTheOriginalCoordinates() throws Exception {
        SinkRecord original = Events.record("cart-events-raw", 4, 99, Events.event("e"));
        SinkRecord renamed = original.newRecord("cart-events-validated", 4, null, null, null, original.value(),
                original.timestamp(), original.headers());

        JsonNode json = JSON.readTree(mapper.map(renamed).data());

        assertThat(json.get("kafka_topic").textValue()).isEqualTo("cart-events-raw");
        assertThat(json.get("kafka_offset").longValue()).isEqualTo(99);
    }

    private String receivedAt(SinkRecord record) throws Exception {
        return JSON.readTree(mapper.map(record).data()).get("received_at").textValue();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- the streaming path (RowBinary, JSON text) gives exactly what the tree path gives ----

    private final RowMapper binaryMapper = new RowMapper(
            TopicTableMapping.parse(List.of("cart-events-raw:events_raw", "cart-events-enriched:flat")),
            Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC),
            FieldPaths.parse(List.of("enrichment.user.purchaseCount:purchase_count", "enrichment.cart.value:cart_value",
                    "payload.sku:sku")),
            RowMapper.UnknownFields.KEEP, "extra", RowMapper.InsertFormat.ROW_BINARY);

    /** A table the streaming path maps: paths (one into payload), top-level fields, Nullable raw. */
    private static final TableColumns FLAT = TableColumns.parse("flat", String.join("\n", "event_id\tString\t",
            "occurred_at\tDateTime('UTC')\t", "user_id\tNullable(String)\t", "payload\tString\t",
            "raw\tNullable(String)\t", "purchase_count\tNullable(UInt32)\t", "cart_value\tFloat64\t",
            "sku\tString\t", "client_version\tString\t", "tags\tArray(String)\t", "kafka_offset\tUInt64\t"));

    /** The same record's value as a ByteBuffer: the tree path (strict UTF-8 decoding, readTree). */
    private static SinkRecord viaTree(SinkRecord r) {
        byte[] bytes = r.value() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) r.value();
        return r.newRecord(r.topic(), r.kafkaPartition(), null, null, null, java.nio.ByteBuffer.wrap(bytes), r.timestamp(),
                r.headers());
    }

    @Test
    void streamedRowsAreByteForByteTheTreePathsRows() {
        List<String> events = List.of(Events.event("e-1"),
                "{\"eventId\":\"e-2\"}",
                "{\"payload\":{\"sku\":\"S-1\",\"price\":1E+1,\"n\":[1,2.50,null]},\"eventId\":\"e-3\",\"userId\":null,"
                        + "\"occurredAt\":\"2026-11-27T09:00:00+01:00\",\"schemaVersion\":2.0}",
                "{\"eventId\":\"e-4\",\"payload\":\"just text\",\"clientVersion\":\"ios\",\"tags\":[\"a\",\"b\"],"
                        + "\"enrichment\":{\"user\":{\"purchaseCount\":\"7\"},\"cart\":{\"value\":59}}}",
                "{\"eventId\":\"e-5\",\"payload\":{\"s\":\"\\u00e9\\n\\ud83d\\ude00\"},\"client_version\":7,\"unknown\":{\"x\":[{}]}}",
                "{\"eventId\":\"e-6\",\"payload\":null,\"type\":\"t\",\"sessionId\":\"s\",\"storeId\":\"st\"}",
                "{ \"eventId\" : \"e-7\" , \"payload\" : { \"a\" : [ 1 , 2 ] } }",
                "{\"eventId\":\"é-8\",\"payload\":{\"name\":\"Müller\"}}",
                "{\"eventId\":\"e-9\",\"payload\":{\"lone\":\"\\ud800\",\"low\":\"\\udc00x\",\"end\":\"a\\ud83d\"}}",
                "{\"eventId\":\"e-10\",\"payload\":[\"\\u2028\\u0000\\u001f\\u007f\\b\\f\\r\\t\"]}",
                "{\"eventId\":\"e-11\",\"payload\":{\"x\":1e400,\"y\":-0,\"z\":-0.0,\"w\":12345678901234567890}}",
                "{\"eventId\":\"e-12\",\"payload\":{\"y\":-0,\"z\":-0.0,\"w\":12345678901234567890,\"v\":-2147483649,"
                        + "\"u\":0.1,\"t\":1.5e-10,\"e\":[],\"o\":{},\"n\":[[],[{}],{\"a\":[true,false,null]}]}}");
        for (String topic : List.of("cart-events-raw", "cart-events-enriched")) {
            TableColumns table = topic.equals("cart-events-raw") ? RowMapper.EVENTS_RAW : FLAT;
            for (String event : events) {
                for (Object value : List.<Object>of(event, event.getBytes(StandardCharsets.UTF_8))) {
                    SinkRecord record = Events.record(topic, 1, 9, value);
                    Row streamed = binaryMapper.map(record, table);
                    Row tree = binaryMapper.map(viaTree(record), table);
                    assertThat(streamed.binary()).isTrue();
                    assertThat(streamed.columns()).as(event).isEqualTo(tree.columns());
                    assertThat(streamed.data()).as(topic + " " + event + " as " + value.getClass().getSimpleName())
                            .isEqualTo(tree.data());
                    assertThat(streamed.record()).isSameAs(record);
                }
            }
        }
    }

    @Test
    void streamedRecordsFailWithTheTreePathsMessages() {
        List<String> bad = List.of("not json", "[1]", "{\"type\":\"cart.viewed\"}", "{\"eventId\":\" \"}",
                "{\"eventId\":7}", "{\"eventId\":\"e\",\"schemaVersion\":-1}", "{\"eventId\":\"e\",\"occurredAt\":\"27/11/2026\"}",
                "{\"eventId\":\"e\",\"eventId\":\"f\"}", "{\"eventId\":\"e\"} {}", "{\"eventId\":\"e\",\"x\":{\"a\":1,\"a\":1}}",
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{\"purchaseCount\":\"three\"}}}",
                "{\"eventId\":\"e\",\"tags\":\"not an array\"}", "");
        for (String topic : List.of("cart-events-raw", "cart-events-enriched")) {
            TableColumns table = topic.equals("cart-events-raw") ? RowMapper.EVENTS_RAW : FLAT;
            for (String event : bad) {
                for (Object value : List.<Object>of(event, event.getBytes(StandardCharsets.UTF_8))) {
                    SinkRecord record = Events.record(topic, 2, 17, value);
                    String expected;
                    try {
                        binaryMapper.map(viaTree(record), table);
                        expected = null;
                    } catch (DataException e) {
                        expected = e.getMessage();
                    }
                    if (expected == null) {
                        assertThat(binaryMapper.map(record, table).data()).as(event)
                                .isEqualTo(binaryMapper.map(viaTree(record), table).data());
                        continue;
                    }
                    assertThatThrownBy(() -> binaryMapper.map(record, table)).as(topic + " " + event)
                            .isInstanceOf(DataException.class).hasMessage(expected);
                }
            }
        }
        assertThatThrownBy(() -> binaryMapper.map(Events.record("cart-events-raw", 0, 3,
                new byte[]{'{', '"', 'e', 'v', 'e', 'n', 't', 'I', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})))
                .isInstanceOf(DataException.class).hasMessageContaining("not UTF-8");
    }

    /** Envelope and Kafka columns in types other than the shipped ones: the streaming path's shortcut must step aside. */
    private static final TableColumns ODD = TableColumns.parse("odd", String.join("\n", "event_id\tNullable(String)\t",
            "type\tNullable(String)\t", "schema_version\tUInt8\t", "occurred_at\tString\t", "user_id\tString\t",
            "session_id\tUInt32\t", "store_id\tString\t", "status\tNullable(String)\t", "received_at\tNullable(DateTime)\t",
            "ingest_task\tString\t", "kafka_topic\tString\t", "kafka_partition\tInt8\t", "kafka_offset\tNullable(UInt64)\t",
            "payload\tString\t"));

    @Test
    void builtinColumnsInOtherTypesGiveTheTreePathsBytesOrErrors() {
        List<String> events = List.of(Events.event("e-1"), "{\"eventId\":\"e-2\",\"userId\":null,\"type\":null}",
                "{\"eventId\":\"e-3\",\"sessionId\":\"42\",\"schemaVersion\":300}",
                "{\"eventId\":\"e-4\",\"sessionId\":\"s-1\"}", "{\"eventId\":\"e-5\",\"type\":7,\"storeId\":true}",
                "{\"eventId\":\"e-6\",\"occurredAt\":\"2026-02-29T10:00:00Z\"}",
                "{\"eventId\":\"e-7\",\"occurredAt\":\"2026-11-27T10:00:00.123456789Z\",\"schemaVersion\":4}");
        for (TableColumns table : List.of(ODD, RowMapper.EVENTS_RAW)) {
            for (String event : events) {
                for (long offset : List.of(9L, 300L)) {
                    SinkRecord record = Events.record("cart-events-raw", 200, offset, event.getBytes(StandardCharsets.UTF_8));
                    Row tree;
                    try {
                        tree = binaryMapper.map(viaTree(record), table);
                    } catch (DataException e) {
                        assertThatThrownBy(() -> binaryMapper.map(record, table)).as(table.table() + " " + event)
                                .isInstanceOf(DataException.class).hasMessage(e.getMessage());
                        continue;
                    }
                    Row streamed = binaryMapper.map(record, table);
                    assertThat(streamed.columns()).as(table.table() + " " + event).isEqualTo(tree.columns());
                    assertThat(streamed.data()).as(table.table() + " " + event).isEqualTo(tree.data());
                }
            }
        }
    }
}
