package dev.eventpipeline.gateway.status;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.gateway.alert.Alert;
import dev.eventpipeline.gateway.deadletter.DeadLetterStats;
import dev.eventpipeline.gateway.health.HealthReport;
import dev.eventpipeline.gateway.health.HealthService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@link PipelineStatus} from Connect's status endpoints, the broker's offsets and the
 * health probes. A part that cannot be read is reported as a problem, never as an empty success.
 */
public final class PipelineStatusService {
    static final List<String> CONTRACT_TOPICS = List.of(Topics.RAW, Topics.VALIDATED, Topics.ENRICHED, Topics.DLQ);

    private final HealthService health;
    private final ConnectClient connect;
    private final TopicStats topics;
    private final Clock clock;
    private final Duration maxAge;
    private final Supplier<DeadLetterStats.Counts> deadLetterCounts;
    private final Supplier<List<Alert>> alerts;
    private PipelineStatus last;

    public PipelineStatusService(HealthService health, ConnectClient connect, TopicStats topics,
                                 Supplier<DeadLetterStats.Counts> deadLetterCounts, Supplier<List<Alert>> alerts,
                                 Clock clock, Duration maxAge) {
        this.alerts = alerts;
        this.deadLetterCounts = deadLetterCounts;
        this.health = health;
        this.connect = connect;
        this.topics = topics;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The latest status, recomputed when older than the configured age. */
    public synchronized PipelineStatus status() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.checkedAt(), now).compareTo(maxAge) < 0) {
            return last;
        }
        List<String> problems = new ArrayList<>();
        HealthReport report = health.report();
        problems.addAll(report.notReadyBecause());

        List<ConnectorStatus> connectors = List.of();
        try {
            connectors = connect.connectors();
            for (ConnectorStatus c : connectors) {
                if (!c.healthy()) {
                    problems.add("connector " + c.name() + " is " + c.state() + ", tasks "
                            + c.tasks().stream().map(t -> t.id() + ":" + t.state()).toList());
                }
            }
        } catch (Exception e) {
            problems.add("connect: cannot read connector states: " + e.getMessage());
        }

        Map<String, Long> records = Map.of();
        Map<String, Map<String, Long>> lag = Map.of();
        long deadLetters = -1;
        try {
            records = topics.retainedRecords(CONTRACT_TOPICS);
            deadLetters = records.getOrDefault(Topics.DLQ, 0L);
            lag = topics.lag("connect-");
        } catch (Exception e) {
            problems.add("kafka: cannot read offsets: " + e.getMessage());
        }
        String state = problems.isEmpty() ? "HEALTHY" : "DEGRADED";
        last = new PipelineStatus(now, state, problems, report, connectors, records, lag, deadLetters, deadLetterCounts.get(), alerts.get());
        return last;
    }
}
