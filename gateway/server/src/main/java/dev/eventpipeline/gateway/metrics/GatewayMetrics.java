package dev.eventpipeline.gateway.metrics;

import dev.eventpipeline.gateway.health.Check;
import dev.eventpipeline.gateway.status.ConnectorStatus;
import dev.eventpipeline.gateway.status.PipelineStatus;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway's Prometheus registry: JVM metrics, Connect's own task metrics read from JMX (the
 * worker runs in this JVM in the embedded shape), and gauges from the latest pipeline status
 * (lag per consumer group and topic, records per topic, dead letters, task states, dependencies),
 * and the embedded enrichment's dead letters per stage (Kafka Streams JMX).
 */
public final class GatewayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge lag;
    private final MultiGauge topicRecords;
    private final MultiGauge tasks;
    private final MultiGauge dependencies;
    private final MultiGauge deadLetters;
    private final io.micrometer.core.instrument.Gauge deadLettersPerMinute;
    private volatile double lastMinuteDeadLetters;
    private final MultiGauge alerts;
    private final ConnectJmxMetrics connectJmx;
    private final EnrichmentJmxMetrics enrichmentJmx;

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        lag = MultiGauge.builder("pipeline.consumer.lag").description("Records not yet consumed, per consumer group and topic")
                .baseUnit("records").register(registry);
        topicRecords = MultiGauge.builder("pipeline.topic.records").description("Records retained per contract topic")
                .baseUnit("records").register(registry);
        tasks = MultiGauge.builder("pipeline.connector.tasks").description("Connector tasks per state")
                .register(registry);
        dependencies = MultiGauge.builder("pipeline.dependency.up").description("1 when the dependency answers, else 0")
                .register(registry);
        deadLetters = MultiGauge.builder("pipeline.dead.letters")
                .description("Records in cart-events-dlq by classification (permanent, transient, parked) and reason code "
                        + "(invalid:<JSON pointer>, error:<exception>, parked)")
                .baseUnit("records").register(registry);
        deadLettersPerMinute = io.micrometer.core.instrument.Gauge.builder("pipeline.dead.letters.rate", this, m -> m.lastMinuteDeadLetters)
                .description("Dead letters that arrived in the last minute").baseUnit("per.minute").register(registry);
        alerts = MultiGauge.builder("pipeline.alerts.firing").description("Alerts firing now, per rule and subject")
                .register(registry);
        connectJmx = new ConnectJmxMetrics(registry);
        enrichmentJmx = new EnrichmentJmxMetrics(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Updates the status-derived gauges. */
    public void record(PipelineStatus status) {
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        status.consumerLag().forEach((group, perTopic) -> perTopic.forEach((topic, value) ->
                lagRows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", topic), value))));
        lag.register(lagRows, true);

        List<MultiGauge.Row<?>> recordRows = new ArrayList<>();
        status.topicRecords().forEach((topic, value) -> recordRows.add(MultiGauge.Row.of(Tags.of("topic", topic), value)));
        topicRecords.register(recordRows, true);

        List<MultiGauge.Row<?>> taskRows = new ArrayList<>();
        for (ConnectorStatus c : status.connectors()) {
            Map<String, Long> byState = new java.util.TreeMap<>();
            c.tasks().forEach(t -> byState.merge(t.state(), 1L, Long::sum));
            byState.forEach((state, n) -> taskRows.add(MultiGauge.Row.of(Tags.of("connector", c.name(), "state", state), n)));
        }
        tasks.register(taskRows, true);

        List<MultiGauge.Row<?>> depRows = new ArrayList<>();
        for (Check check : status.health().dependencies()) {
            depRows.add(MultiGauge.Row.of(Tags.of("dependency", check.name()), check.up() ? 1 : 0));
        }
        dependencies.register(depRows, true);

        if (status.deadLetterCounts() != null) {
            List<MultiGauge.Row<?>> dlqRows = new ArrayList<>();
            status.deadLetterCounts().byReason().forEach((classification, reasons) -> reasons.forEach((reason, n) ->
                    dlqRows.add(MultiGauge.Row.of(Tags.of("classification", classification, "reason", reason), n))));
            deadLetters.register(dlqRows, true);
            lastMinuteDeadLetters = status.deadLetterCounts().lastMinute();
        }
        if (status.alerts() != null) {
            List<MultiGauge.Row<?>> alertRows = new ArrayList<>();
            status.alerts().forEach(a -> alertRows.add(MultiGauge.Row.of(Tags.of("rule", a.rule(), "subject", a.subject()), 1)));
            alerts.register(alertRows, true);
        }
        connectJmx.refresh();
        enrichmentJmx.refresh();
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
