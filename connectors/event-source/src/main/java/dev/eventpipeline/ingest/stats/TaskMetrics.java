package dev.eventpipeline.ingest.stats;

import dev.eventpipeline.ingest.protocol.EventResult;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes a task's {@link IngestStats} through Connect's plugin metrics (KIP-877, Kafka 4.1+): they
 * appear in the worker's JMX and metrics reporters under the task's plugin metric group (tags
 * connector, task), e.g. {@code events-accepted-total}, {@code ack-latency-p99-ms}, {@code queued},
 * {@code in-flight}, {@code websocket-connections}.
 */
public final class TaskMetrics implements AutoCloseable {
    private final PluginMetrics plugin;
    private final List<MetricName> names = new ArrayList<>();

    private TaskMetrics(PluginMetrics plugin) {
        this.plugin = plugin;
    }

    /** @return null when the worker offers no plugin metrics */
    public static TaskMetrics register(PluginMetrics plugin, IngestStats stats) {
        if (plugin == null) {
            return null;
        }
        TaskMetrics m = new TaskMetrics(plugin);
        for (EventResult.Status s : EventResult.Status.values()) {
            m.gauge("events-" + s.wire() + "-total", "Events answered " + s.wire() + " since the task started",
                    () -> stats.count(s));
            m.gauge("events-" + s.wire() + "-rate", "Events per second answered " + s.wire() + " (last 10 s)",
                    () -> stats.rate(s, 10));
        }
        m.gauge("ack-latency-p50-ms", "Median receive-to-answer latency (ms)", () -> stats.latencyPercentileMs(50));
        m.gauge("ack-latency-p99-ms", "99th percentile receive-to-answer latency (ms)", () -> stats.latencyPercentileMs(99));
        m.gauge("ack-latency-max-ms", "Largest receive-to-answer latency (ms)", stats::latencyMaxMs);
        m.gauge("queued", "Events waiting for poll()", stats::queued);
        m.gauge("in-flight", "Events admitted and not yet answered", stats::inFlight);
        m.gauge("websocket-connections", "Open WebSocket connections", stats::wsConnections);
        m.gauge("http-connections", "Open HTTP connections", stats::httpConnections);
        return m;
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        MetricName metricName = plugin.metricName(name, description, new LinkedHashMap<>());
        plugin.addMetric(metricName, (Gauge<Number>) (config, now) -> value.get());
        names.add(metricName);
    }

    @Override
    public void close() {
        for (MetricName n : names) {
            try {
                plugin.removeMetric(n);
            } catch (RuntimeException ignored) {
                // the worker removes plugin metrics itself when the task ends
            }
        }
    }
}
