package dev.eventpipeline.sink.clickhouse.metrics;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

import java.util.LinkedHashMap;

/**
 * Per-task metrics, registered through the worker's {@link PluginMetrics} (KIP-877,
 * {@code SinkTaskContext.pluginMetrics()}), so they appear in Connect's JMX (and any metrics
 * reporter the worker has) tagged with the connector and task:
 * {@code kafka.connect:type=plugins,connector=NAME,task=N} (see the module README for the names).
 * Without plugin metrics (a worker older than Kafka 4.1, unit tests) every method is a no-op.
 */
public final class SinkMetrics {
    /**
     * Sensor names are global in the worker's metrics registry (only the metrics carry the connector and task
     * tags): two tasks in one worker that both added "clickhouse-rows" would record into each other's metrics.
     * Each instance's sensors get their own suffix.
     */
    private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();

    private final PluginMetrics metrics;
    private final String suffix = "#" + INSTANCES.incrementAndGet();
    private final java.util.List<String> sensors = new java.util.ArrayList<>();
    private final Sensor rows;
    private final Sensor batches;
    private final Sensor latency;
    private final Sensor retries;
    private final Sensor deadLetters;
    private final Sensor bytes;

    private SinkMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        if (metrics == null) {
            rows = batches = latency = retries = deadLetters = bytes = null;
            return;
        }
        rows = sensor("clickhouse-rows");
        rows.add(name("rows-written-rate", "Rows written to ClickHouse per second"), new Rate());
        rows.add(name("rows-written-total", "Rows written to ClickHouse"), new CumulativeSum());
        bytes = sensor("clickhouse-bytes");
        bytes.add(name("bytes-written-rate", "Bytes of JSONEachRow sent to ClickHouse per second"), new Rate());
        batches = sensor("clickhouse-batch-size");
        batches.add(name("batch-size-avg", "Average rows per INSERT"), new Avg());
        batches.add(name("batch-size-max", "Largest INSERT in rows"), new Max());
        batches.add(name("inserts-total", "INSERT statements that succeeded"), new CumulativeCount());
        latency = sensor("clickhouse-insert-latency");
        latency.add(name("insert-latency-avg-ms", "Average time of a successful INSERT, ms"), new Avg());
        latency.add(name("insert-latency-max-ms", "Longest successful INSERT, ms"), new Max());
        retries = sensor("clickhouse-retries");
        retries.add(name("retries-total", "Retriable ClickHouse failures (each makes the worker re-deliver a batch)"),
                new CumulativeCount());
        retries.add(name("retries-rate", "Retriable ClickHouse failures per second"), new Rate());
        deadLetters = sensor("clickhouse-dead-letters");
        deadLetters.add(name("dead-letter-records-total", "Records sent to the dead-letter queue"), new CumulativeCount());
    }

    public static SinkMetrics of(PluginMetrics metrics) {
        return new SinkMetrics(metrics);
    }

    public static SinkMetrics none() {
        return new SinkMetrics(null);
    }

    /** Adds this instance's sensor {@code name} (suffixed, see {@link #INSTANCES}), removed again by {@link #close}. */
    private Sensor sensor(String name) {
        sensors.add(name + suffix);
        return metrics.addSensor(name + suffix);
    }

    private MetricName name(String name, String description) {
        return metrics.metricName(name, description, new LinkedHashMap<>());
    }

    public void inserted(int rowCount, long byteCount, long nanos) {
        if (metrics == null) {
            return;
        }
        long now = System.currentTimeMillis();
        rows.record(rowCount, now);
        bytes.record(byteCount, now);
        batches.record(rowCount, now);
        latency.record(nanos / 1_000_000.0, now);
    }

    public void retried() {
        if (retries != null) {
            retries.record();
        }
    }

    public void deadLettered() {
        if (deadLetters != null) {
            deadLetters.record();
        }
    }

    public void close() {
        if (metrics == null) {
            return;
        }
        for (String sensor : sensors) {
            try {
                metrics.removeSensor(sensor);
            } catch (RuntimeException ignored) {
                // the worker closes plugin metrics itself when the task stops
            }
        }
    }
}
