package dev.eventpipeline.sink.clickhouse;

import dev.eventpipeline.sink.clickhouse.testing.Events;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse.Response;
import dev.eventpipeline.sink.clickhouse.testing.FakeSinkTaskContext;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseSinkTaskTest {
    private static final TopicPartition TP = new TopicPartition("cart-events-raw", 0);
    private FakeClickHouse server;
    private final FakeSinkTaskContext context = new FakeSinkTaskContext();
    private ClickHouseSinkTask task;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeClickHouse();
    }

    @AfterEach
    void tearDown() {
        if (task != null) {
            task.stop();
        }
        server.close();
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of(
                "clickhouse.url", server.url(),
                "batch.max.rows", "3",
                "batch.max.wait.ms", "600000",
                "retry.backoff.ms", "250",
                // the fake server reads rows as JSON lines; RowBinary is covered by the ITs on a real server
                "insert.format", "JSONEachRow"));
        props.putAll(overrides);
        task = new ClickHouseSinkTask();
        task.initialize(context);
        task.start(props);
    }

    @Test
    void startAppliesTheSchemaAndDetectsTheServer() {
        start(Map.of());

        assertThat(server.requests()).extracting(FakeClickHouse.Request::sql)
                .startsWith("SELECT version()", "CREATE DATABASE IF NOT EXISTS `event_pipeline`")
                .anyMatch(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS `event_pipeline`.`events_raw`"))
                .anyMatch(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS `event_pipeline`.`events_processed`"))
                .anyMatch(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS `event_pipeline`.`events_errors`"))
                .noneMatch(sql -> sql.contains("TTL")) // 18.16: the retention job instead
                .anyMatch(sql -> sql.contains("FROM system.parts"))
                .anyMatch(sql -> sql.equals("SELECT version()"));
    }

    @Test
    void schemaApplyFalseRunsNoDdl() {
        start(Map.of("schema.apply", "false"));

        assertThat(server.requests()).extracting(FakeClickHouse.Request::sql).noneMatch(sql -> sql.startsWith("CREATE"));
    }

    @Test
    void buffersUntilBatchMaxRows() {
        start(Map.of());

        task.put(records(0, 2));
        assertThat(server.inserts()).isEmpty();
        assertThat(task.buffered()).isEqualTo(2);
        assertThat(context.lastTimeout()).as("asks to be called back within batch.max.wait.ms").isPositive()
                .isLessThanOrEqualTo(600_000L);

        task.put(records(2, 2));
        assertThat(server.inserts()).hasSize(2); // 4 rows, batches of at most 3
        assertThat(server.inserts().get(0).body().lines()).hasSize(3);
        assertThat(server.inserts().get(1).body().lines()).hasSize(1);
        assertThat(server.inserts().get(0).params()).containsEntry("insert_sample_with_metadata", "1");
    }

    @Test
    void preCommitReturnsOnlyOffsetsOfRowsClickHouseHasAndWritesNothing() {
        start(Map.of("offsets.commit.flush", "false"));
        task.put(records(0, 2)); // buffered (batch.max.rows=3)

        Map<TopicPartition, OffsetAndMetadata> committable = task.preCommit(Map.of(TP, new OffsetAndMetadata(2)));
        assertThat(committable).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
        assertThat(server.inserts()).isEmpty();
        assertThat(task.buffered()).isEqualTo(2);

        task.put(records(2, 2)); // 4 rows: written
        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(4)))).isEqualTo(Map.of(TP, new OffsetAndMetadata(4)));

        task.put(records(4, 1)); // buffered
        TopicPartition other = new TopicPartition("cart-events-raw", 1);
        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(5), other, new OffsetAndMetadata(9))))
                .as("a partition without unwritten rows commits what was consumed")
                .isEqualTo(Map.of(TP, new OffsetAndMetadata(4), other, new OffsetAndMetadata(9)));
    }

    @Test
    void preCommitDoesNotFailWhileClickHouseIsDownItCommitsNothingUnwritten() {
        start(Map.of("offsets.commit.flush", "false"));
        task.put(records(0, 2));
        server.failInserts(503, "Service Unavailable");

        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(2)))).isEqualTo(Map.of(TP, new OffsetAndMetadata(0)));
    }

    @Test
    void flushWritesTheBufferBeforeOffsetsAreCommitted() {
        start(Map.of("offsets.commit.flush", "true"));
        task.put(records(0, 2));

        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(TP, new OffsetAndMetadata(2));
        Map<TopicPartition, OffsetAndMetadata> committable = task.preCommit(offsets);

        assertThat(committable).isEqualTo(offsets);
        assertThat(server.inserts()).hasSize(1);
        assertThat(server.inserts().get(0).body()).contains("\"event_id\":\"e-0\"", "\"event_id\":\"e-1\"");
        assertThat(task.buffered()).isZero();
    }

    @Test
    void streamedRowsAreInClickHouseAtTheCommitAndAFailedInsertRewindsAndHoldsTheCommitUntilReRead() {
        start(Map.of("insert.streaming", "true")); // batch.max.rows=3
        task.put(records(0, 2));
        assertThat(task.buffered()).isEqualTo(2);
        task.put(records(2, 1)); // the third row ends the INSERT (batch.max.rows)

        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(3)))).isEqualTo(Map.of(TP, new OffsetAndMetadata(3)));
        assertThat(server.inserts()).hasSize(1); // one INSERT for both puts, its body sent chunked, answered by the commit
        assertThat(server.inserts().get(0).body().lines()).hasSize(3);
        assertThat(server.inserts().get(0).header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");

        server.failInserts(503, "Service Unavailable");
        task.put(records(3, 2));
        task.put(records(5, 1)); // 3 rows: the INSERT ends; its failure is found by a later put
        RetriableException failed = null;
        for (int i = 0; i < 100 && failed == null; i++) {
            try {
                task.put(List.of());
                Thread.sleep(50);
            } catch (RetriableException e) {
                failed = e;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(failed).as("put() reports the failed INSERT").isNotNull();
        assertThat(failed.getMessage()).contains("503", "read again from");
        assertThat(context.rewinds).containsExactly(Map.of(TP, 3L));

        server.respond(FakeClickHouse::clickHouse18);
        task.put(List.of()); // the worker re-delivers the failed put (here empty), the re-read has not begun
        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(6))))
                .as("held at the rewind point").isEqualTo(Map.of(TP, new OffsetAndMetadata(3)));
        task.put(records(3, 3)); // the re-read
        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(6)))).isEqualTo(Map.of(TP, new OffsetAndMetadata(6)));
        assertThat(server.inserts().get(server.inserts().size() - 1).body())
                .contains("\"event_id\":\"e-3\"", "\"event_id\":\"e-4\"", "\"event_id\":\"e-5\"");
    }

    @Test
    void failedFlushFailsPreCommitSoOffsetsAreNotCommitted() {
        start(Map.of("offsets.commit.flush", "true"));
        task.put(records(0, 2));
        server.failInserts(503, "Service Unavailable");

        assertThatThrownBy(() -> task.preCommit(Map.of(TP, new OffsetAndMetadata(2))))
                .isInstanceOf(RetriableException.class);
    }

    @Test
    void retriableInsertErrorAsksForBackoffAndKeepsNothingOfTheFailedBatch() {
        start(Map.of());
        server.failInserts(500, "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded");

        assertThatThrownBy(() -> task.put(records(0, 3)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("MEMORY_LIMIT_EXCEEDED")
                .hasMessageContaining("cart-events-raw-0 offsets 0..2");
        assertThat(context.lastTimeout()).isBetween(250L, 300L); // backoff plus up to 20% jitter
        assertThat(task.buffered()).isZero();

        server.respond(FakeClickHouse::clickHouse18);
        task.put(records(0, 3)); // the worker's redelivery
        assertThat(server.inserts()).last().satisfies(r -> assertThat(r.body().lines()).hasSize(3));
    }

    @Test
    void nonRetriableInsertErrorFailsWithClickHousesMessage() {
        start(Map.of());
        server.failInserts(404, "Code: 60, e.displayText() = DB::Exception: Table event_pipeline.events_raw doesn't exist.");

        assertThatThrownBy(() -> task.put(records(0, 3)))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("doesn't exist")
                .hasMessageContaining("event_pipeline.events_raw");
    }

    @Test
    void badRecordFailsThePutWithoutWritingAnything() {
        start(Map.of());
        List<SinkRecord> batch = List.of(Events.record("cart-events-raw", 0, 0, Events.event("ok")),
                Events.record("cart-events-raw", 0, 1, "{\"type\":\"cart.viewed\"}"));

        assertThatThrownBy(() -> task.put(batch))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("cart-events-raw-0@1")
                .hasMessageContaining("eventId");
        assertThat(task.buffered()).isZero();
    }

    @Test
    void clickHouseDownAtStartIsNotFatal() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        task = new ClickHouseSinkTask();
        task.initialize(context);
        task.start(Map.of("clickhouse.url", "http://127.0.0.1:" + port, "batch.max.rows", "1", "insert.format", "JSONEachRow",
                "clickhouse.connect.timeout.ms", "200"));

        assertThatThrownBy(() -> task.put(records(0, 1)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("not reachable");
    }

    @Test
    void setsUpLazilyOnceClickHouseIsBack() {
        server.respond(r -> new Response(503, "starting"));
        start(Map.of("batch.max.rows", "1"));
        assertThat(server.inserts()).isEmpty();

        server.respond(FakeClickHouse::clickHouse18);
        server.clear();
        task.put(records(0, 1));

        assertThat(server.requests()).extracting(FakeClickHouse.Request::sql)
                .startsWith("SELECT version()", "CREATE DATABASE IF NOT EXISTS `event_pipeline`")
                .last().asString().startsWith("INSERT INTO");
    }

    @Test
    void wrongCredentialsAtStartFailTheTask() {
        server.respond(r -> new Response(401, "Code: 193, e.displayText() = DB::Exception: Wrong password for user default"));

        task = new ClickHouseSinkTask();
        task.initialize(context);
        assertThatThrownBy(() -> task.start(Map.of("clickhouse.url", server.url())))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("check clickhouse.user and clickhouse.password");
        task = null;
    }

    @Test
    void closeDropsRowsOfRevokedPartitions() {
        start(Map.of());
        task.put(records(0, 2));

        task.close(List.of(TP));

        assertThat(task.buffered()).isZero();
    }

    private static List<SinkRecord> records(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> Events.record("cart-events-raw", 0, i, Events.event("e-" + i)))
                .toList();
    }
}
