package dev.eventpipeline.sink.clickhouse;

import dev.eventpipeline.sink.clickhouse.testing.Events;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse.Response;
import dev.eventpipeline.sink.clickhouse.testing.FakeSinkTaskContext;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad records, the dead-letter queue, retries and metrics of the task. */
class DeadLetterTaskTest {
    private FakeClickHouse server;
    private FakeSinkTaskContext context;
    private ClickHouseSinkTask task;
    private Metrics metrics;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeClickHouse();
        // like 18.16: one row it cannot parse fails the whole INSERT
        server.respond(r -> r.isInsert() && r.body().contains("\"type\":\"bad-for-clickhouse\"")
                ? new Response(500, "Code: 27, e.displayText() = DB::Exception: Cannot parse input: (at row 2)")
                : FakeClickHouse.clickHouse18(r));
        metrics = new Metrics();
        context = new FakeSinkTaskContext().withMetrics(new PluginMetricsImpl(metrics, Map.of("connector", "c", "task", "0")));
    }

    @AfterEach
    void tearDown() {
        if (task != null) {
            task.stop();
        }
        metrics.close();
        server.close();
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(Map.of("clickhouse.url", server.url(), "batch.max.rows", "100",
                "batch.max.wait.ms", "0", "retry.backoff.ms", "100", "retry.backoff.max.ms", "400"));
        props.put("insert.format", "JSONEachRow"); // the fake server reads rows as JSON lines
        props.putAll(overrides);
        task = new ClickHouseSinkTask();
        task.initialize(context);
        task.start(props);
    }

    private static List<SinkRecord> batch() {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String event = Events.event("e-" + i);
            if (i == 3) {
                event = event.replace("\"schemaVersion\":1", "\"schemaVersion\":\"one\""); // the mapper catches this
            }
            if (i == 7) {
                event = event.replace("cart.item_added", "bad-for-clickhouse"); // only ClickHouse rejects this
            }
            records.add(Events.record("cart-events-raw", 0, i, event));
        }
        return records;
    }

    private double metric(String name) {
        return metrics.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).findFirst().orElseThrow();
    }

    @Test
    void withToleranceAllBadRecordsGoToTheDeadLetterQueueAndNeighboursAreWritten() {
        start(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "cart-events-dlq"));

        task.put(batch());
        task.flush(Map.of());

        assertThat(context.reported).extracting(SinkRecord::kafkaOffset).containsExactly(3L, 7L);
        assertThat(context.reportedErrors.get(0)).isInstanceOf(DataException.class)
                .hasMessageContaining("cart-events-raw-0@3").hasMessageContaining("schemaVersion");
        assertThat(context.reportedErrors.get(1)).isInstanceOf(DataException.class)
                .hasMessageContaining("record cart-events-raw-0@7 rejected by ClickHouse for table event_pipeline.events_raw")
                .hasMessageContaining("Cannot parse input");
        List<String> written = server.inserts().stream()
                .filter(r -> !r.body().contains("bad-for-clickhouse"))
                .flatMap(r -> r.body().lines()).toList();
        assertThat(written).hasSize(8);
        assertThat(metric("dead-letter-records-total")).isEqualTo(2.0);
        assertThat(metric("rows-written-total")).isEqualTo(8.0);
        assertThat(metric("batch-size-max")).isGreaterThan(0.0);
        assertThat(metric("insert-latency-avg-ms")).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void withToleranceNoneTheTaskFailsNamingRecordColumnAndValue() {
        start(Map.of());

        assertThatThrownBy(() -> task.put(batch()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("record cart-events-raw-0@3")
                .hasMessageContaining("column schema_version")
                .hasMessageContaining("\"one\"");
        assertThat(context.reported).isEmpty();
    }

    @Test
    void withToleranceNoneAClickHouseRejectionNamesTheRecord() {
        start(Map.of());
        List<SinkRecord> records = batch();
        records.remove(3);

        assertThatThrownBy(() -> task.put(records))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("record cart-events-raw-0@7 rejected by ClickHouse")
                .hasMessageContaining("(at row 2)");
    }

    @Test
    void retriesBackOffExponentiallyAndGiveUpAfterTheRetryTimeout() throws Exception {
        start(Map.of("retry.timeout.ms", "1500"));
        server.failInserts(503, "Code: 252, e.displayText() = DB::Exception: Too many parts");

        List<Long> backoffs = new ArrayList<>();
        ConnectException last = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                task.put(List.of(Events.record("cart-events-raw", 0, 1, Events.event("e-1"))));
            } catch (RetriableException e) {
                backoffs.add(context.lastTimeout());
                Thread.sleep(context.lastTimeout());
                continue;
            } catch (ConnectException e) {
                last = e;
                break;
            }
        }
        assertThat(backoffs.get(0)).isBetween(100L, 120L);
        assertThat(backoffs.get(1)).isBetween(200L, 240L);
        assertThat(backoffs).allMatch(b -> b <= 400L);
        assertThat(last).isNotNull().isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("retry.timeout.ms=1500").hasMessageContaining("TOO_MANY_PARTS");
        assertThat(metric("retries-total")).isEqualTo(backoffs.size() + 1.0);
    }
}
