package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;
import dev.eventpipeline.sink.clickhouse.config.TopicTableMapping;
import dev.eventpipeline.sink.clickhouse.schema.SchemaMigrations;
import dev.eventpipeline.sink.clickhouse.schema.TableColumns;
import dev.eventpipeline.sink.clickhouse.testing.Events;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Column-driven mapping into the shipped tables (columns taken from the shipped DDL). */
class RowMapperColumnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicTableMapping TABLES = TopicTableMapping.parse(List.of(
            "cart-events-raw:events_raw", "cart-events-enriched:events_processed", "cart-events-dlq:events_errors"));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC);

    static final String ENRICHED = """
            {"eventId":"e-1","type":"cart.item_added","schemaVersion":1,"occurredAt":"2026-11-27T08:00:00Z",
             "userId":"u-1","sessionId":"s-1","storeId":"store-1","payload":{"sku":"A"},
             "clientVersion":"ios-3.2",
             "enrichment":{
               "user":{"lastSeen":"2026-11-26T10:00:00Z","purchaseCount":3,"lastPurchaseAt":"2026-11-20T10:00:00Z",
                       "preferences":{"categories":"[\\"shoes\\"]"},"lifetimeValue":412.5,"segment":"repeat"},
               "store":{"timezone":"Europe/Berlin","localTime":"2026-11-27T09:00:00+01:00","openNow":true,
                        "businessHours":"08:00-20:00","settings":{"currency":"EUR"}},
               "session":{"position":4,"startedAt":"2026-11-27T07:55:00Z","msSinceStart":300000,
                          "msSincePrevious":1200},
               "cart":{"itemCount":2,"value":59.9,"valueChange":19.95,"currency":"EUR","valueEur":59.9},
               "meta":{"pipelineVersion":"0.1.0","enrichedAt":"2026-11-27T08:00:01.123Z","redisDegraded":false}}}""";

    /** The columns of a shipped CREATE TABLE statement, parsed like system.columns would list them. */
    static TableColumns shipped(String table) {
        String ddl = new SchemaMigrations("db").statements().stream().map(SchemaMigrations.Statement::sql)
                .filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS `db`.`" + table + "`")).findFirst().orElseThrow();
        StringBuilder tsv = new StringBuilder();
        Matcher m = Pattern.compile("^\\s+(\\w+)\\s+(.+?)(\\s+DEFAULT .*)?,?$", Pattern.MULTILINE)
                .matcher(ddl.substring(ddl.indexOf('('), ddl.indexOf("ENGINE")));
        while (m.find()) {
            tsv.append(m.group(1)).append('\t').append(m.group(2).replaceAll(",$", "")).append('\t')
                    .append(m.group(3) == null ? "" : "DEFAULT").append('\n');
        }
        return TableColumns.parse(table, tsv.toString());
    }

    private static JsonNode row(Row row) throws Exception {
        return JSON.readTree(new String(row.data(), StandardCharsets.UTF_8));
    }

    @Test
    void enrichedEventsFillTheEnrichmentColumnsByTheContractPaths() throws Exception {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of());
        RowMapper mapper = new RowMapper(TABLES, CLOCK, config.fieldPaths(), RowMapper.UnknownFields.KEEP, "extra");

        JsonNode row = row(mapper.map(Events.record("cart-events-enriched", 0, 5, ENRICHED), shipped("events_processed")));

        assertThat(row.path("event_id").asText()).isEqualTo("e-1");
        assertThat(row.path("user_last_seen").asText()).isEqualTo("2026-11-26 10:00:00");
        assertThat(row.path("user_purchase_count").asInt()).isEqualTo(3);
        assertThat(row.path("user_lifetime_value").asDouble()).isEqualTo(412.5);
        assertThat(row.path("user_segment").asText()).isEqualTo("repeat");
        assertThat(JSON.readTree(row.path("user_preferences").asText())).isEqualTo(JSON.readTree("{\"categories\":\"[\\\"shoes\\\"]\"}"));
        assertThat(row.path("store_timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(row.path("store_local_time").asText()).isEqualTo("2026-11-27T09:00:00+01:00");
        assertThat(row.path("store_open_now").asInt()).isEqualTo(1);
        assertThat(row.path("session_position").asInt()).isEqualTo(4);
        assertThat(row.path("session_started_at").asText()).isEqualTo("2026-11-27 07:55:00");
        assertThat(row.path("ms_since_session_start").asLong()).isEqualTo(300000);
        assertThat(row.path("ms_since_previous_event").asLong()).isEqualTo(1200);
        assertThat(row.path("cart_item_count").asInt()).isEqualTo(2);
        assertThat(row.path("cart_value").asDouble()).isEqualTo(59.90);
        assertThat(row.path("currency").asText()).isEqualTo("EUR");
        assertThat(row.path("cart_value_eur").asDouble()).isEqualTo(59.9);
        assertThat(row.path("pipeline_version").asText()).isEqualTo("0.1.0");
        assertThat(row.path("enriched_at").asText()).isEqualTo("2026-11-27 08:00:01");
        assertThat(row.path("redis_degraded").asInt()).isZero();
        assertThat(row.has("inserted_at")).as("DEFAULT columns are left out").isFalse();
        assertThat(row.has("raw")).as("events_processed has no raw column").isFalse();
        // what no column took, and nothing else
        assertThat(JSON.readTree(row.path("extra").asText())).isEqualTo(JSON.readTree(
                "{\"clientVersion\":\"ios-3.2\",\"enrichment\":{\"user\":{\"lastPurchaseAt\":\"2026-11-20T10:00:00Z\"},"
                        + "\"store\":{\"businessHours\":\"08:00-20:00\",\"settings\":{\"currency\":\"EUR\"}}}}"));
    }

    @Test
    void unknownFieldsCanBeIgnoredAndMissingEnrichmentIsNull() throws Exception {
        RowMapper mapper = new RowMapper(TABLES, CLOCK, new ClickHouseSinkConfig(Map.of()).fieldPaths(),
                RowMapper.UnknownFields.IGNORE, "extra");

        String event = Events.event("e-2").replace(",\"extra\":\"kept in raw only\"", ",\"clientVersion\":\"web\"");
        JsonNode row = row(mapper.map(Events.record("cart-events-enriched", 0, 5, event), shipped("events_processed")));

        assertThat(row.has("extra")).isFalse();
        assertThat(row.has("user_last_seen")).as("absent: Nullable column gets its default NULL").isFalse();
    }

    @Test
    void aValueThatDoesNotFitItsColumnNamesRecordColumnFieldAndValue() {
        RowMapper mapper = new RowMapper(TABLES, CLOCK, new ClickHouseSinkConfig(Map.of()).fieldPaths(),
                RowMapper.UnknownFields.KEEP, "extra");
        String bad = ENRICHED.replace("\"purchaseCount\":3", "\"purchaseCount\":\"three\"");

        assertThatThrownBy(() -> mapper.map(Events.record("cart-events-enriched", 1, 9, bad), shipped("events_processed")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("record cart-events-enriched-1@9")
                .hasMessageContaining("column 'user_purchase_count' (Nullable(UInt32))")
                .hasMessageContaining("from field 'enrichment.user.purchaseCount'")
                .hasMessageContaining("\"three\"");
    }

    @Test
    void sameNameAndCamelCaseTopLevelFieldsFillNewColumns() throws Exception {
        TableColumns withNewColumns = TableColumns.parse("events_raw", String.join("\n",
                "event_id\tString\t", "client_version\tString\t", "coupon\tNullable(String)\t"));
        RowMapper mapper = new RowMapper(TABLES, CLOCK);
        String event = Events.event("e-3").replace("\"extra\"", "\"coupon\":\"X\",\"clientVersion\":\"web\",\"extra\"");

        JsonNode row = row(mapper.map(Events.record("cart-events-raw", 0, 1, event), withNewColumns));

        assertThat(row.path("client_version").asText()).isEqualTo("web");
        assertThat(row.path("coupon").asText()).isEqualTo("X");
    }

    @Test
    void deadLettersKeepAnyPayloadAndMapTheErrorHeaders() throws Exception {
        RowMapper mapper = new RowMapper(TABLES, CLOCK);
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(EventHeaders.RECEIVED_AT, "1795766401000");
        headers.addString(EventHeaders.ERROR_TOPIC, "cart-events-raw");
        headers.addString(EventHeaders.ERROR_PARTITION, "2");
        headers.addString(EventHeaders.ERROR_OFFSET, "17");
        headers.addString(EventHeaders.ERROR_CONNECTOR, "clickhouse-sink-raw");
        headers.addString(EventHeaders.ERROR_TASK, "0");
        headers.addString(EventHeaders.ERROR_STAGE, "TASK_PUT");
        headers.addString(EventHeaders.ERROR_CLASS, "dev.eventpipeline.sink.clickhouse.ClickHouseSinkTask");
        headers.addString(EventHeaders.ERROR_EXCEPTION_CLASS, "org.apache.kafka.connect.errors.DataException");
        headers.addString(EventHeaders.ERROR_EXCEPTION_MESSAGE, "record x: column 'a'");
        headers.addString(EventHeaders.ERROR_EXCEPTION_STACKTRACE, "at ...");
        headers.addString(RowMapper.HEADER_REASON, "schema violation");
        headers.addString(RowMapper.HEADER_JSON_POINTERS, "[\"/payload/sku\"]");
        headers.addString(RowMapper.HEADER_SCHEMA_SUBJECT, "cart.item_added");
        headers.addString(RowMapper.HEADER_SCHEMA_VERSION, "3");
        byte[] notJson = "{\"eventId\": \"e-9\", oops".getBytes(StandardCharsets.UTF_8);

        JsonNode row = row(mapper.map(Events.record("cart-events-dlq", 0, 3, notJson, headers), shipped("events_errors")));

        assertThat(row.path("original_payload").asText()).isEqualTo("{\"eventId\": \"e-9\", oops");
        assertThat(row.path("event_id").asText()).isEmpty();
        assertThat(row.path("error_reason").asText()).isEqualTo("schema violation");
        assertThat(row.path("error_stage").asText()).isEqualTo("TASK_PUT");
        assertThat(row.path("error_exception_class").asText()).isEqualTo("org.apache.kafka.connect.errors.DataException");
        assertThat(row.path("error_exception_message").asText()).isEqualTo("record x: column 'a'");
        assertThat(row.path("error_stacktrace").asText()).isEqualTo("at ...");
        assertThat(row.path("error_connector").asText()).isEqualTo("clickhouse-sink-raw");
        assertThat(row.path("error_source_topic").asText()).isEqualTo("cart-events-raw");
        assertThat(row.path("error_source_partition").asInt()).isEqualTo(2);
        assertThat(row.path("error_source_offset").asLong()).isEqualTo(17);
        assertThat(row.path("error_json_pointers").asText()).isEqualTo("[\"/payload/sku\"]");
        assertThat(row.path("error_schema_subject").asText()).isEqualTo("cart.item_added");
        assertThat(row.path("error_schema_version").asInt()).isEqualTo(3);
        assertThat(row.path("kafka_topic").asText()).isEqualTo("cart-events-dlq");
        assertThat(row.path("kafka_offset").asLong()).isEqualTo(3);
        assertThat(row.path("occurred_at").asText()).isEqualTo("2026-11-27 08:00:01");
        assertThat(JSON.readTree(row.path("headers").asText()).path(EventHeaders.ERROR_STAGE).asText()).isEqualTo("TASK_PUT");

        JsonNode binary = row(mapper.map(Events.record("cart-events-dlq", 0, 4, new byte[]{(byte) 0xff, 0x01}),
                shipped("events_errors")));
        assertThat(binary.path("original_payload").asText()).isEqualTo("base64:/wE=");
        assertThat(binary.path("error_reason").asText()).isEmpty();
        assertThat(binary.has("error_source_offset")).isFalse();

        JsonNode event = row(mapper.map(Events.record("cart-events-dlq", 0, 5, Events.event("e-5")), shipped("events_errors")));
        assertThat(event.path("event_id").asText()).isEqualTo("e-5");
        assertThat(event.path("user_id").asText()).isEqualTo("u-42");
    }

    // ---- events_processed (unknown-fields column) on the streaming path: the tree path's rows, byte for byte ----

    private static SinkRecord viaTree(SinkRecord r) {
        byte[] bytes = r.value() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) r.value();
        return r.newRecord(r.topic(), r.kafkaPartition(), null, null, null, java.nio.ByteBuffer.wrap(bytes), r.timestamp(),
                r.headers());
    }

    private static RowMapper binaryMapper() {
        return new RowMapper(TABLES, CLOCK, new ClickHouseSinkConfig(Map.of()).fieldPaths(), RowMapper.UnknownFields.KEEP,
                "extra", RowMapper.InsertFormat.ROW_BINARY);
    }

    static final List<String> PROCESSED_SHAPED = List.of(ENRICHED, ENRICHED.replace("\n", "").replace(" ", ""),
            Events.event("e-2"),
            "{\"eventId\":\"e-3\"}",
            "{\"eventId\":\"e-4\",\"enrichment\":{}}",
            "{\"eventId\":\"e-5\",\"enrichment\":{\"user\":{},\"store\":{\"settings\":{}},\"cart\":{\"value\":null}}}",
            "{\"a\":1,\"eventId\":\"e-6\",\"enrichment\":{\"user\":\"anonymous\",\"x\":[{}],\"session\":{\"position\":1}},\"b\":[2,{\"c\":null}]}",
            "{\"eventId\":\"e-7\",\"enrichment\":[1,2],\"extra\":{\"k\":\"v\"},\"payload\":\"p\"}",
            "{\"eventId\":\"e-8\",\"enrichment\":{\"user\":{\"preferences\":{\"a\":[1,{\"b\":2}]},\"lastSeen\":1795766400000,"
                    + "\"purchaseCount\":\"7\"},\"meta\":{\"redisDegraded\":true,\"pipelineVersion\":\"0.2\"}}}",
            "{\"eventId\":\"e-9\",\"note\":\"\\u00e9\\n\\ud83d\\ude00 \\\"q\\\" \\u0001\",\"n\":[1e2,-0.0,12345678901234567890,-0,0.1]}",
            "{\"eventId\":\"e-10\",\"huge\":1e400,\"enrichment\":{\"cart\":{\"value\":1e400}}}",
            "{ \"eventId\" : \"e-11\" , \"enrichment\" : { \"store\" : { \"timezone\" : \"UTC\" , \"y\" : { } } } }",
            "{\"eventId\":\"e-12\",\"clientVersion\":\"x\",\"client_version\":\"y\",\"lone\":\"\\ud800\"}");

    @Test
    void processedRowsStreamedAreByteForByteTheTreePathsRows() {
        RowMapper mapper = binaryMapper();
        TableColumns table = shipped("events_processed");
        for (String event : PROCESSED_SHAPED) {
            for (Object value : List.<Object>of(event, event.getBytes(StandardCharsets.UTF_8))) {
                SinkRecord record = Events.record("cart-events-enriched", 1, 9, value);
                Row streamed = mapper.map(record, table);
                Row tree = mapper.map(viaTree(record), table);
                assertThat(streamed.binary()).isTrue();
                assertThat(streamed.columns()).as(event).isEqualTo(tree.columns());
                assertThat(streamed.data()).as(event + " as " + value.getClass().getSimpleName()).isEqualTo(tree.data());
                assertThat(streamed.record()).isSameAs(record);
            }
        }
        // every event but the one with a double out of range (1e400, printed by the tree as Infinity) streamed
        assertThat(mapper.streamedRows).isEqualTo(2L * (PROCESSED_SHAPED.size() - 1));
    }

    @Test
    void processedRowsStreamedKeepTheUnknownFieldsAsJsonLikeTheTreePath() throws Exception {
        RowMapper mapper = binaryMapper();
        Row row = mapper.map(Events.record("cart-events-enriched", 0, 5, ENRICHED.getBytes(StandardCharsets.UTF_8)),
                shipped("events_processed"));

        assertThat(mapper.streamedRows).isEqualTo(1);
        assertThat(row.columns()).endsWith("extra").doesNotContain("raw");
        String data = new String(row.data(), StandardCharsets.UTF_8);
        assertThat(data).endsWith("{\"clientVersion\":\"ios-3.2\",\"enrichment\":{\"user\":{\"lastPurchaseAt\":"
                + "\"2026-11-20T10:00:00Z\"},\"store\":{\"businessHours\":\"08:00-20:00\",\"settings\":{\"currency\":\"EUR\"}}}}");
    }

    @Test
    void processedRecordsStreamedFailWithTheTreePathsMessages() {
        RowMapper mapper = binaryMapper();
        TableColumns table = shipped("events_processed");
        List<String> bad = List.of(ENRICHED.replace("\"purchaseCount\":3", "\"purchaseCount\":\"three\""),
                ENRICHED.replace("\"openNow\":true", "\"openNow\":\"yes\""),
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{\"lastSeen\":\"yesterday\"}}}",
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{\"x\":1,\"x\":2}}}",
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{\"purchaseCount\":1,\"purchaseCount\":2}}}",
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{},\"user\":{}}}",
                "{\"eventId\":\"e\",\"u\":{\"x\":1,\"x\":2}}",
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{\"lastSeen\":\"2026-11-26T10:00:00Z\"}} x",
                "{\"eventId\":\"e\",\"enrichment\":{\"user\":{\"lastSeen\":\"2026-11-26T10:00:00Z\"}",
                "{\"eventId\":7}");
        for (String event : bad) {
            for (Object value : List.<Object>of(event, event.getBytes(StandardCharsets.UTF_8))) {
                SinkRecord record = Events.record("cart-events-enriched", 2, 17, value);
                String expected = null;
                try {
                    mapper.map(viaTree(record), table);
                } catch (DataException e) {
                    expected = e.getMessage();
                }
                assertThat(expected).as("the tree path refuses " + event).isNotNull();
                assertThatThrownBy(() -> mapper.map(record, table)).as(event)
                        .isInstanceOf(DataException.class).hasMessage(expected);
            }
        }
    }
}
