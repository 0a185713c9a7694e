package dev.eventpipeline.sink.clickhouse.metrics;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SinkMetrics} in one worker's metrics registry, as the Connect worker keeps it for all its tasks. */
class SinkMetricsTest {
    private final Metrics registry = new Metrics();

    @AfterEach
    void close() {
        registry.close();
    }

    private SinkMetrics task(String connector) {
        return SinkMetrics.of(new PluginMetricsImpl(registry, Map.of("connector", connector, "task", "0")));
    }

    private double value(String name, String connector) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && connector.equals(e.getKey().tags().get("connector")))
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow();
    }

    @Test
    void twoTasksInOneWorkerKeepTheirOwnCounts() {
        SinkMetrics raw = task("raw");
        SinkMetrics errors = task("errors");

        raw.deadLettered();
        raw.inserted(10, 1000, 5_000_000);
        errors.inserted(3, 300, 1_000_000);

        assertThat(value("dead-letter-records-total", "raw")).isEqualTo(1);
        assertThat(value("dead-letter-records-total", "errors")).isZero();
        assertThat(value("rows-written-total", "raw")).isEqualTo(10);
        assertThat(value("rows-written-total", "errors")).isEqualTo(3);
        assertThat(value("batch-size-max", "raw")).isEqualTo(10);
    }

    @Test
    void closingOneTaskLeavesTheOtherRecording() {
        SinkMetrics first = task("a");
        SinkMetrics second = task("b");
        first.close();

        second.inserted(4, 100, 1_000_000);
        assertThat(value("rows-written-total", "b")).isEqualTo(4);
        assertThat(registry.metrics().keySet()).extracting(MetricName::name).contains("rows-written-total");
    }
}
