package dev.eventpipeline.sink.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.sink.clickhouse.testing.Events;
import dev.eventpipeline.sink.clickhouse.testing.FakeSinkTaskContext;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.awaitility.Awaitility;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives {@link ClickHouseSinkTask} against a real ClickHouse (Debian's 18.16 here) started by
 * {@link ClickHouseServer}: every column as stored, redelivery collapsing to one row per event id,
 * idempotent DDL, and how real server errors and outages surface.
 */
@Tag("integration")
class ClickHouseSinkTaskIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "cart-events-raw";

    @TempDir
    static Path workDir;
    private static ClickHouseServer server;

    private final List<ClickHouseSinkTask> tasks = new ArrayList<>();
    private String database;

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
                "batch.max.rows", "1000",
                "clickhouse.request.timeout.ms", "10000",
                "clickhouse.connect.timeout.ms", "1000"));
        props.putAll(overrides);
        ClickHouseSinkTask task = new ClickHouseSinkTask();
        task.initialize(new FakeSinkTaskContext());
        task.start(props);
        tasks.add(task);
        return task;
    }

    @Test
    void storesEveryColumn(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of(), test);
        String full = Events.event("e-full");
        String minimal = "{\"eventId\":\"e-min\",\"occurredAt\":\"2026-03-01T23:59:59.999+01:00\",\"userId\":null,"
                + "\"unknownField\":[1,2,3]}";
        Instant before = Instant.now().minusSeconds(2);

        task.put(List.of(
                Events.record(TOPIC, 2, 41, full),
                new SinkRecord(TOPIC, 0, null, null, null, minimal.getBytes(), 7, 1767225600000L,
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME, new ConnectHeaders())));
        task.flush(Map.of(new TopicPartition(TOPIC, 2), new OffsetAndMetadata(42)));
        Instant after = Instant.now().plusSeconds(2);

        Map<String, JsonNode> rows = rowsById();
        assertThat(rows).containsOnlyKeys("e-full", "e-min");

        JsonNode a = rows.get("e-full");
        assertThat(a.get("event_id").textValue()).isEqualTo("e-full");
        assertThat(a.get("type").textValue()).isEqualTo("cart.item_added");
        assertThat(a.get("schema_version").asLong()).isEqualTo(1);
        assertThat(a.get("occurred_at").textValue()).isEqualTo("2026-11-27 08:00:00");
        assertThat(a.get("user_id").textValue()).isEqualTo("u-42");
        assertThat(a.get("session_id").textValue()).isEqualTo("s-7");
        assertThat(a.get("store_id").textValue()).isEqualTo("store-1");
        assertThat(JSON.readTree(a.get("payload").textValue())).isEqualTo(JSON.readTree("{\"sku\":\"A-1\",\"quantity\":2}"));
        assertThat(a.get("raw").textValue()).isEqualTo(full);
        assertThat(a.get("status").textValue()).isEqualTo("accepted");
        assertThat(a.get("received_at").textValue()).isEqualTo("2026-11-27 08:00:01");
        assertThat(a.get("ingest_task").textValue()).isEqualTo("event-source-0");
        assertThat(a.get("kafka_topic").textValue()).isEqualTo(TOPIC);
        assertThat(a.get("kafka_partition").asLong()).isEqualTo(2);
        assertThat(a.get("kafka_offset").asText()).isEqualTo("41");
        assertThat(insertedAt(a)).isBetween(before, after);

        JsonNode b = rows.get("e-min");
        assertThat(b.get("type").textValue()).isEmpty();
        assertThat(b.get("schema_version").asLong()).isZero();
        assertThat(b.get("occurred_at").textValue()).isEqualTo("2026-03-01 22:59:59");
        assertThat(b.get("user_id").isNull()).isTrue();
        assertThat(b.get("session_id").textValue()).isEmpty();
        assertThat(b.get("store_id").textValue()).isEmpty();
        assertThat(b.get("payload").textValue()).isEmpty();
        assertThat(b.get("raw").textValue()).isEqualTo(minimal);
        assertThat(b.get("received_at").textValue()).as("record timestamp without header").isEqualTo("2026-01-01 00:00:00");
        assertThat(b.get("ingest_task").textValue()).isEmpty();
        assertThat(b.get("kafka_partition").asLong()).isZero();
        assertThat(b.get("kafka_offset").asText()).isEqualTo("7");
        assertThat(insertedAt(b)).isBetween(before, after);

        // the columns are UTC whatever the server's zone; occurred_at partitions by UTC month
        assertThat(server.query("SELECT toYYYYMM(occurred_at) FROM " + database + ".events_raw FINAL "
                + "WHERE event_id = 'e-min'").trim()).isEqualTo("202603");
        assertThat(server.query("SELECT toUnixTimestamp(occurred_at) FROM " + database + ".events_raw FINAL "
                + "WHERE event_id = 'e-full'").trim()).isEqualTo(String.valueOf(Instant.parse("2026-11-27T08:00:00Z").getEpochSecond()));
    }

    @Test
    void redeliveryLeavesOneRowPerEventId(TestInfo test) throws Exception {
        List<SinkRecord> records = records(0, 50);
        ClickHouseSinkTask first = task(Map.of("batch.max.rows", "20"), test);
        first.put(records);
        first.flush(Map.of());

        // a crash before the commit: a new task (schema applied again) gets everything again,
        // partly in other batch sizes, plus some new events
        ClickHouseSinkTask second = task(Map.of("batch.max.rows", "7"), test);
        second.put(records.subList(0, 30));
        second.put(records.subList(30, 50));
        second.put(records(50, 10));
        second.flush(Map.of());

        String table = database + ".events_raw";
        // without FINAL, copies may still be there (background merges run when they run)
        assertThat(count("SELECT count() FROM " + table)).isBetween(60L, 110L);
        assertThat(count("SELECT count() FROM " + table + " FINAL")).isEqualTo(60);
        assertThat(count("SELECT count(DISTINCT event_id) FROM " + table)).isEqualTo(60);

        // OPTIMIZE ... FINAL is a no-op while a background merge holds the parts: repeat until merged
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            server.query("OPTIMIZE TABLE " + table + " FINAL");
            assertThat(count("SELECT count() FROM " + table)).isEqualTo(60);
        });
        assertThat(count("SELECT max(c) FROM (SELECT event_id, count() AS c FROM " + table + " GROUP BY event_id)"))
                .isEqualTo(1);
    }

    @Test
    void ddlIsIdempotentAndOptional(TestInfo test) throws Exception {
        task(Map.of(), test);
        task(Map.of(), test);
        task(Map.of("schema.apply", "false"), test);

        assertThat(server.query("SELECT engine FROM system.tables WHERE database = '" + database
                + "' AND name = 'events_raw'").trim()).isEqualTo("ReplacingMergeTree");
    }

    @Test
    void realServerErrorsFailWithClickHousesMessage(TestInfo test) {
        ClickHouseSinkTask task = task(Map.of("topics.tables", TOPIC + ":no_such_table"), test);

        // the table's columns are read before the first row is mapped: a missing table fails the put
        assertThatThrownBy(() -> task.put(records(0, 2)))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining(database + ".no_such_table does not exist")
                .hasMessageContaining("schema.apply");
    }

    @Test
    void outageIsRetriableAndTheRedeliveryIsWritten(TestInfo test) throws Exception {
        ClickHouseSinkTask task = task(Map.of("batch.max.rows", "5"), test);
        server.stop();
        try {
            assertThatThrownBy(() -> task.put(records(0, 5))).isInstanceOf(RetriableException.class);
        } finally {
            server = ClickHouseServer.start(workDir.resolve("clickhouse"), server.httpPort(), server.tcpPort());
        }
        task.put(records(0, 5)); // the worker's redelivery of the same batch
        task.flush(Map.of());

        assertThat(count("SELECT count() FROM " + database + ".events_raw FINAL")).isEqualTo(5);
    }

    private Map<String, JsonNode> rowsById() throws IOException {
        String out = server.query("SELECT * FROM " + database + ".events_raw FINAL ORDER BY event_id FORMAT JSONEachRow");
        Map<String, JsonNode> rows = new HashMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode row = JSON.readTree(line);
                rows.put(row.get("event_id").textValue(), row);
            }
        }
        return rows;
    }

    private static Instant insertedAt(JsonNode row) {
        return LocalDateTime.parse(row.get("inserted_at").textValue(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .toInstant(ZoneOffset.UTC);
    }

    private static long count(String sql) throws IOException {
        return Long.parseLong(server.query(sql).trim());
    }

    private static List<SinkRecord> records(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> Events.record(TOPIC, 0, i, Events.event("e-" + i), new ConnectHeaders()
                        .addLong(EventHeaders.RECEIVED_AT, 1795766401000L + i)))
                .toList();
    }

}
