package dev.eventpipeline.gateway.latency;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The pipeline's latency histograms (Micrometer timers with Prometheus histogram buckets):
 * <ul>
 *   <li>{@code pipeline_ingest_ack_latency_seconds{endpoint,status}}: from the gateway receiving an
 *       ingestion request to the end of the connector's answer (its acknowledgement, given after the
 *       Kafka write), for requests relayed by the gateway;</li>
 *   <li>{@code pipeline_end_to_end_latency_seconds{table}}: from the ingestion task receiving an
 *       event ({@code received_at}) to its row being inserted in ClickHouse ({@code inserted_at}).</li>
 * </ul>
 */
public final class LatencyMeters {
    private final MeterRegistry registry;

    public LatencyMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void ingestAck(String endpoint, int status, Duration latency) {
        Timer.builder("pipeline.ingest.ack.latency")
                .description("Ingestion request received by the gateway to the connector's answer (ack after the Kafka write), relayed requests")
                .tags("endpoint", endpoint, "status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(latency);
    }

    /** {@code rows} rows of {@code table} that took {@code seconds} from receipt to insertion. */
    public void endToEnd(String table, long seconds, long rows) {
        Timer timer = Timer.builder("pipeline.end.to.end.latency")
                .description("Event received by the ingestion task (received_at) to its row inserted in ClickHouse (inserted_at); second resolution")
                .tags("table", table)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        for (long i = 0; i < rows; i++) {
            timer.record(d);
        }
    }
}
