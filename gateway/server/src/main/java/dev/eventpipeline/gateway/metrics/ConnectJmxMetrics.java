package dev.eventpipeline.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bridges Kafka Connect's per-task JMX metrics into Prometheus, tagged by connector and task. Only
 * available where the worker shares the gateway's JVM (the embedded shape); elsewhere scrape the
 * worker's JMX directly.
 */
final class ConnectJmxMetrics {
    /** MBean type → attributes exported as {@code connect.<type>.<attribute>}. */
    static final Map<String, List<String>> EXPORTED = Map.of(
            "source-task-metrics", List.of("source-record-poll-total", "source-record-write-total",
                    "source-record-active-count", "poll-batch-avg-time-ms"),
            "sink-task-metrics", List.of("sink-record-read-total", "sink-record-send-total",
                    "sink-record-active-count", "put-batch-avg-time-ms", "offset-commit-completion-total"),
            "task-error-metrics", List.of("total-record-errors", "total-record-failures", "total-records-skipped",
                    "deadletterqueue-produce-requests", "deadletterqueue-produce-failures"));

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Map<String, MultiGauge> gauges = new java.util.HashMap<>();

    ConnectJmxMetrics(MeterRegistry registry) {
        EXPORTED.forEach((type, attributes) -> attributes.forEach(attribute ->
                gauges.put(type + "/" + attribute, MultiGauge.builder("connect." + type.replace("-metrics", "").replace('-', '.') + "."
                                + attribute.replace('-', '.'))
                        .description("Kafka Connect JMX kafka.connect:type=" + type + " " + attribute)
                        .register(registry))));
    }

    void refresh() {
        EXPORTED.forEach((type, attributes) -> {
            Set<ObjectName> names;
            try {
                names = server.queryNames(new ObjectName("kafka.connect:type=" + type + ",*"), null);
            } catch (Exception e) {
                return;
            }
            for (String attribute : attributes) {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                for (ObjectName name : names) {
                    Object value = read(name, attribute);
                    if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
                        rows.add(MultiGauge.Row.of(Tags.of("connector", String.valueOf(name.getKeyProperty("connector")),
                                "task", String.valueOf(name.getKeyProperty("task"))), n.doubleValue()));
                    }
                }
                gauges.get(type + "/" + attribute).register(rows, true);
            }
        });
    }

    private Object read(ObjectName name, String attribute) {
        try {
            return server.getAttribute(name, attribute);
        } catch (Exception e) {
            return null;
        }
    }
}
