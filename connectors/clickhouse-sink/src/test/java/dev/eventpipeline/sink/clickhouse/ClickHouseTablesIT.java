package dev.eventpipeline.sink.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.sink.clickhouse.mapping.RowMapper;
import dev.eventpipeline.sink.clickhouse.testing.Events;
import dev.eventpipeline.sink.clickhouse.testing.FakeSinkTaskContext;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped tables against a real ClickHouse (Debian's 18.16): events_processed with the
 * enrichment columns, events_errors from dead letters, schema drift, batch splitting on a real
 * server rejection, and the retention job.
 */
@Tag("integration")
class ClickHouseTablesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;
    private static ClickHouseServer server;

    private final List<ClickHouseSinkTask> tasks = new ArrayList<>();
    private String database;
    private FakeSinkTaskContext context;

    @BeforeAll
    static void startClickHouse() throws IOException {
        server = ClickHouseServer.start(workDir.resolve("clickhouse"), PortCheck.freePort(), PortCheck.freePort());
    }

    @AfterAll
    static void stopClickHouse() {
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void stopTasks() {
        tasks.forEach(ClickHouseSinkTask::stop);
    }

    private ClickHouseSinkTask task(Map<String, String> overrides, TestInfo test) {
        database = "it_" + test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
        Map<String, String> props = new HashMap<>(Map.of(
                "clickhouse.url", server.url(),
                "clickhouse.database", database,
                "topics.tables", "cart-events-raw:events_raw,cart-events-enriched:events_processed,cart-events-dlq:events_errors",
                "batch.max.rows", "1000",
                "batch.max.wait.ms", "600000"));
        props.putAll(overrides);
        ClickHouseSinkTask task = new ClickHouseSinkTask();
        context = new FakeSinkTaskContext();
        task.initialize(context);
        task.start(props);
        tasks.add(task);
        return task;
    }

    private List<JsonNode> rows(String sql) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : server.query(sql + " FORMAT JSONEachRow").split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void enrichedEventsLandInEventsProcessedWithRealColumns(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of(), test);
        String enriched = """
                {"eventId":"p-1","type":"cart.item_added","schemaVersion":1,"occurredAt":"2026-11-27T08:00:00Z",
                 "userId":"u-1","sessionId":"s-1","storeId":"store-1","payload":{"sku":"A"},"clientVersion":"ios",
                 "enrichment":{"user":{"lastSeen":"2026-11-26T10:00:00Z","purchaseCount":3,"preferences":["shoes"],
                   "lifetimeValue":412.5,"segment":"repeat"},
                   "store":{"timezone":"Europe/Berlin","openNow":true},
                   "session":{"position":4,"msSincePrevious":1200},
                   "cart":{"itemCount":2,"value":59.9,"currency":"EUR"},
                   "meta":{"pipelineVersion":"0.1.0","enrichedAt":"2026-11-27T08:00:01.123Z","redisDegraded":true}}}""";
        task.put(List.of(Events.record("cart-events-enriched", 0, 0, enriched),
                Events.record("cart-events-enriched", 0, 1, enriched))); // a redelivery
        task.flush(Map.of());

        List<JsonNode> rows = rows("SELECT * FROM " + database + ".events_processed FINAL");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("user_last_seen").asText()).isEqualTo("2026-11-26 10:00:00");
        assertThat(row.path("user_purchase_count").asInt()).isEqualTo(3);
        assertThat(row.path("user_preferences").asText()).isEqualTo("[\"shoes\"]");
        assertThat(row.path("user_lifetime_value").asDouble()).isEqualTo(412.5);
        assertThat(row.path("user_segment").asText()).isEqualTo("repeat");
        assertThat(row.path("store_timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(row.path("store_open_now").asInt()).isEqualTo(1);
        assertThat(row.path("session_position").asInt()).isEqualTo(4);
        assertThat(row.path("ms_since_previous_event").asLong()).isEqualTo(1200);
        assertThat(row.path("cart_item_count").asInt()).isEqualTo(2);
        assertThat(row.path("cart_value").asDouble()).isEqualTo(59.9);
        assertThat(row.path("currency").asText()).isEqualTo("EUR");
        assertThat(row.path("pipeline_version").asText()).isEqualTo("0.1.0");
        assertThat(row.path("enriched_at").asText()).isEqualTo("2026-11-27 08:00:01");
        assertThat(row.path("redis_degraded").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(row.path("extra").asText())).isEqualTo(JSON.readTree("{\"clientVersion\":\"ios\"}"));
        assertThat(row.path("inserted_at").asText()).isNotEqualTo("0000-00-00 00:00:00");
    }

    @Test
    void deadLettersLandInEventsErrorsWithTheirHeaders(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of(), test);
        org.apache.kafka.connect.header.Headers headers = new ConnectHeaders()
                .addString(EventHeaders.ERROR_TOPIC, "cart-events-raw")
                .addString(EventHeaders.ERROR_PARTITION, "1")
                .addString(EventHeaders.ERROR_OFFSET, "99")
                .addString(EventHeaders.ERROR_CONNECTOR, "clickhouse-sink-raw")
                .addString(EventHeaders.ERROR_STAGE, "TASK_PUT")
                .addString(EventHeaders.ERROR_EXCEPTION_CLASS, DataException.class.getName())
                .addString(EventHeaders.ERROR_EXCEPTION_MESSAGE, "column 'schema_version' ...")
                .addString(RowMapper.HEADER_REASON, "schema violation: /payload/sku required");
        task.put(List.of(
                Events.record("cart-events-dlq", 0, 10, "not json at all \u00e9".getBytes(StandardCharsets.UTF_8), headers),
                Events.record("cart-events-dlq", 0, 11, Events.event("bad-1")),
                Events.record("cart-events-dlq", 0, 11, Events.event("bad-1")))); // redelivered
        task.flush(Map.of());

        List<JsonNode> rows = rows("SELECT * FROM " + database + ".events_errors FINAL ORDER BY kafka_offset");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("original_payload").asText()).isEqualTo("not json at all \u00e9");
        assertThat(rows.get(0).path("error_reason").asText()).isEqualTo("schema violation: /payload/sku required");
        assertThat(rows.get(0).path("error_source_topic").asText()).isEqualTo("cart-events-raw");
        assertThat(rows.get(0).path("error_source_partition").asInt()).isEqualTo(1);
        assertThat(rows.get(0).path("error_source_offset").asLong()).isEqualTo(99);
        assertThat(rows.get(0).path("error_stage").asText()).isEqualTo("TASK_PUT");
        assertThat(rows.get(0).path("error_connector").asText()).isEqualTo("clickhouse-sink-raw");
        assertThat(rows.get(1).path("event_id").asText()).isEqualTo("bad-1");
        assertThat(rows.get(1).path("error_source_offset").isNull()).isTrue();
    }

    @Test
    void aColumnAddedToTheTableIsFilledWithoutRestart(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of("schema.refresh.interval.ms", "0"), test);
        String withCoupon = Events.event("d-1").replace("\"extra\"", "\"couponCode\":\"XMAS\",\"extra\"");
        task.put(List.of(Events.record("cart-events-raw", 0, 0, withCoupon)));
        task.flush(Map.of());

        server.query("ALTER TABLE " + database + ".events_raw ADD COLUMN coupon_code Nullable(String)");
        task.put(List.of(Events.record("cart-events-raw", 0, 1, withCoupon.replace("d-1", "d-2"))));
        task.flush(Map.of());

        List<JsonNode> rows = rows("SELECT event_id, coupon_code FROM " + database + ".events_raw FINAL ORDER BY event_id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("coupon_code").isNull()).as("written before the column existed").isTrue();
        assertThat(rows.get(1).path("coupon_code").asText()).isEqualTo("XMAS");
    }

    @Test
    void aRowTheRealServerRejectsIsIsolatedAndItsNeighboursWritten(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of("errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "cart-events-dlq"), test);
        // the converter passes unknown types through: the server's own check rejects a bad UUID
        server.query("ALTER TABLE " + database + ".events_raw ADD COLUMN order_uuid Nullable(UUID)");
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String uuid = i == 13 ? "not-a-uuid" : "123e4567-e89b-12d3-a456-4266141740" + (10 + i);
            records.add(Events.record("cart-events-raw", 0, i,
                    Events.event("r-" + i).replace("\"extra\"", "\"orderUuid\":\"" + uuid + "\",\"extra\"")));
        }
        task = task(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "cart-events-dlq",
                "schema.refresh.interval.ms", "0"), test);
        task.put(records);
        task.flush(Map.of());

        assertThat(Long.parseLong(server.query("SELECT count() FROM " + database + ".events_raw FINAL").trim())).isEqualTo(19);
        assertThat(context.reported).extracting(SinkRecord::kafkaOffset).containsExactly(13L);
        assertThat(context.reportedErrors.get(0)).hasMessageContaining("record cart-events-raw-0@13 rejected by ClickHouse");
    }

    @Test
    void withoutToleranceABadValueFailsTheTaskNamingRecordAndColumn(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of(), test);
        String bad = Events.event("t-1").replace("\"schemaVersion\":1", "\"schemaVersion\":-3");

        assertThatThrownBy(() -> task.put(List.of(Events.record("cart-events-raw", 4, 12, bad))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("record cart-events-raw-4@12")
                .hasMessageContaining("column schema_version").hasMessageContaining("-3");
    }

    @Test
    void retentionDropsPartitionsOlderThanTheWindowOn1816(TestInfo test) throws Exception {
        ClickHouseSinkTask first = task(Map.of(), test);
        first.put(List.of(Events.record("cart-events-raw", 0, 0,
                Events.event("old").replace("2026-11-27T08:00:00.123Z", "2020-01-15T00:00:00Z")),
                Events.record("cart-events-raw", 0, 1, Events.event("new"))));
        first.flush(Map.of());
        assertThat(Long.parseLong(server.query("SELECT count() FROM " + database + ".events_raw").trim())).isEqualTo(2);

        task(Map.of(), test); // the retention job runs when a task connects

        assertThat(rows("SELECT event_id FROM " + database + ".events_raw")).extracting(r -> r.path("event_id").asText())
                .containsExactly("new");
    }
}
