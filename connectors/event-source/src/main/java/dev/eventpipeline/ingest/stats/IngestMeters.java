package dev.eventpipeline.ingest.stats;

import dev.eventpipeline.ingest.protocol.EventResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The task's {@link IngestStats} as Micrometer meters in a Prometheus registry of its own, served by the
 * listener at {@code GET /events/metrics} (tags {@code connector}, {@code task}):
 * <ul>
 *   <li>{@code ingest_events_total{status}}: events answered accepted / duplicate / invalid / failed;</li>
 *   <li>{@code ingest_ack_latency_seconds}: receive → answer for events Kafka answered, as a histogram
 *       (Prometheus buckets, so p50/p99 aggregate across tasks with {@code histogram_quantile});</li>
 *   <li>{@code ingest_queue_depth}, {@code ingest_inflight}, {@code ingest_connections{transport}};</li>
 *   <li>{@code ingest_requests_rejected_total}, {@code ingest_unauthorized_total},
 *       {@code ingest_slow_clients_closed_total}.</li>
 * </ul>
 * The same numbers also reach Connect's JMX through {@link TaskMetrics}.
 */
public final class IngestMeters {
    private IngestMeters() {
    }

    public static PrometheusMeterRegistry bind(IngestStats stats, String connector, int task) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Tags tags = Tags.of("connector", connector, "task", Integer.toString(task));
        for (EventResult.Status status : EventResult.Status.values()) {
            FunctionCounter.builder("ingest.events", stats, s -> s.count(status))
                    .description("Events answered, by status")
                    .tags(tags).tag("status", status.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Timer latency = Timer.builder("ingest.ack.latency")
                .description("Receive to answer, for events Kafka answered")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        stats.latencyListener(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
        Gauge.builder("ingest.queue.depth", stats, IngestStats::queued).description("Events waiting for poll()")
                .tags(tags).register(registry);
        Gauge.builder("ingest.inflight", stats, IngestStats::inFlight).description("Events admitted and not yet answered")
                .tags(tags).register(registry);
        Gauge.builder("ingest.connections", stats, IngestStats::wsConnections).description("Open connections")
                .tags(tags).tag("transport", "websocket").register(registry);
        Gauge.builder("ingest.connections", stats, IngestStats::httpConnections).description("Open connections")
                .tags(tags).tag("transport", "http").register(registry);
        FunctionCounter.builder("ingest.requests.rejected", stats, IngestStats::rejectedRequests)
                .description("Requests or frames rejected whole (malformed, too large)").tags(tags).register(registry);
        FunctionCounter.builder("ingest.slow.clients.closed", stats, IngestStats::slowClientsClosed)
                .description("Connections closed because their request head did not arrive within "
                        + "listener.request.head.timeout.ms (slow-loris)").tags(tags).register(registry);
        FunctionCounter.builder("ingest.unauthorized", stats, IngestStats::unauthorizedRequests)
                .description("Requests and connections without a valid API key").tags(tags).register(registry);
        return registry;
    }
}
