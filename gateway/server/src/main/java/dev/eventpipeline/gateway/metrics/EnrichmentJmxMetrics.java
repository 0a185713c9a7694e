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
import java.util.TreeMap;

/**
 * Bridges the embedded enrichment runtime's dead-letter counts (Kafka Streams metric
 * {@code dead-letter-total}, group {@code stream-enrichment-metrics}, one per stream thread and
 * stage) into Prometheus as {@code enrichment_dead_letters{stage=...}}, summed over threads. Only
 * where the runtime shares the gateway's JVM (the embedded shape); on ksqlDB the same cases go to
 * its processing log.
 */
final class EnrichmentJmxMetrics {
    static final String QUERY = "kafka.streams:type=stream-enrichment-metrics,*";
    static final String ATTRIBUTE = "dead-letter-total";
    static final String STAGE_TAG = "enrichment-id";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final MultiGauge deadLetters;

    EnrichmentJmxMetrics(MeterRegistry registry) {
        deadLetters = MultiGauge.builder("enrichment.dead.letters")
                .description("Records the embedded enrichment sent to cart-events-dlq since it started, per stage")
                .baseUnit("records").register(registry);
    }

    void refresh() {
        Map<String, Double> byStage = new TreeMap<>();
        try {
            for (ObjectName name : server.queryNames(new ObjectName(QUERY), null)) {
                Object value = server.getAttribute(name, ATTRIBUTE);
                String stage = name.getKeyProperty(STAGE_TAG);
                if (stage != null && value instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    byStage.merge(stage, n.doubleValue(), Double::sum);
                }
            }
        } catch (Exception e) {
            return; // keep the last values: a scrape must not fail on a runtime that is restarting
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byStage.forEach((stage, n) -> rows.add(MultiGauge.Row.of(Tags.of("stage", stage), n)));
        deadLetters.register(rows, true);
    }
}
