package dev.eventpipeline.gateway.alert;

import dev.eventpipeline.gateway.deadletter.DeadLetterStats;
import dev.eventpipeline.gateway.health.Check;
import dev.eventpipeline.gateway.status.ConnectorStatus;
import dev.eventpipeline.gateway.status.PipelineStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert rules, evaluated against each pipeline status: dead-letter rate above a threshold, lag
 * above a threshold, lag growing for N minutes, a connector or task FAILED, a dependency down. Pure
 * apart from the lag history it keeps between evaluations, so every rule is unit-tested.
 */
public final class AlertRules {
    public static final String DLQ_RATE = "dlq-rate";
    public static final String LAG_ABOVE = "lag-above";
    public static final String LAG_GROWING = "lag-growing";
    public static final String CONNECTOR_FAILED = "connector-failed";
    public static final String DEPENDENCY_DOWN = "dependency-down";

    /**
     * @param dlqPerMinute   fire when more dead letters than this arrived in the last minute (negative: off)
     * @param lagRecords     fire when a consumer group's lag on a topic exceeds this (negative: off)
     * @param lagGrowingFor  fire when a group's total lag grew at every evaluation for this long (zero: off)
     */
    public record Thresholds(double dlqPerMinute, long lagRecords, Duration lagGrowingFor, boolean connectorFailed,
                             boolean dependencyDown) {
    }

    private record Sample(Instant at, long lag) {
    }

    private final Thresholds thresholds;
    private final Map<String, Deque<Sample>> lagHistory = new HashMap<>();

    public AlertRules(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public synchronized List<Condition> evaluate(PipelineStatus status, Instant now) {
        List<Condition> found = new ArrayList<>();
        if (thresholds.dependencyDown()) {
            for (Check c : status.health().dependencies()) {
                if (!c.up()) {
                    found.add(new Condition(DEPENDENCY_DOWN, c.name(), "critical", c.name() + " is down: " + c.detail()));
                }
            }
        }
        if (thresholds.connectorFailed()) {
            for (ConnectorStatus c : status.connectors()) {
                List<String> failedTasks = c.tasks().stream().filter(t -> "FAILED".equals(t.state())).map(t -> String.valueOf(t.id())).toList();
                if ("FAILED".equals(c.state()) || !failedTasks.isEmpty()) {
                    String trace = c.tasks().stream().filter(t -> "FAILED".equals(t.state()) && t.trace() != null)
                            .map(t -> t.trace().lines().findFirst().orElse("")).findFirst()
                            .orElse(c.trace() == null ? "" : c.trace().lines().findFirst().orElse(""));
                    found.add(new Condition(CONNECTOR_FAILED, c.name(), "critical", "connector " + c.name() + " is " + c.state()
                            + (failedTasks.isEmpty() ? "" : ", task(s) " + String.join(",", failedTasks) + " FAILED")
                            + (trace.isEmpty() ? "" : ": " + trace)));
                }
            }
        }
        DeadLetterStats.Counts dlq = status.deadLetterCounts();
        if (thresholds.dlqPerMinute() >= 0 && dlq != null && dlq.lastMinute() > thresholds.dlqPerMinute()) {
            found.add(new Condition(DLQ_RATE, "cart-events-dlq", "warning", String.format(java.util.Locale.ROOT,
                    "%.0f dead letters in the last minute (threshold %.0f/min)", dlq.lastMinute(), thresholds.dlqPerMinute())));
        }
        status.consumerLag().forEach((group, perTopic) -> {
            perTopic.forEach((topic, lag) -> {
                if (thresholds.lagRecords() >= 0 && lag > thresholds.lagRecords()) {
                    found.add(new Condition(LAG_ABOVE, group + "/" + topic, "warning",
                            group + " is " + lag + " records behind on " + topic + " (threshold " + thresholds.lagRecords() + ")"));
                }
            });
            long total = perTopic.values().stream().mapToLong(Long::longValue).sum();
            growing(group, total, now).ifPresent(found::add);
        });
        lagHistory.keySet().retainAll(status.consumerLag().keySet());
        return found;
    }

    /** Lag that grew at every sample over the whole window (a consumer that is stuck or too slow). */
    private java.util.Optional<Condition> growing(String group, long total, Instant now) {
        if (thresholds.lagGrowingFor().isZero()) {
            return java.util.Optional.empty();
        }
        Deque<Sample> history = lagHistory.computeIfAbsent(group, g -> new ArrayDeque<>());
        if (!history.isEmpty() && total <= history.peekLast().lag()) {
            history.clear(); // not growing: start over
        }
        history.addLast(new Sample(now, total));
        Instant windowStart = now.minus(thresholds.lagGrowingFor());
        while (history.size() > 2 && !history.toArray(new Sample[0])[1].at().isAfter(windowStart)) {
            history.pollFirst(); // keep one sample at or before the window's start
        }
        Sample first = history.peekFirst();
        if (first.at().isAfter(windowStart) || history.size() < 2) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Condition(LAG_GROWING, group, "warning", group + " lag grew from " + first.lag()
                + " to " + total + " records over " + Duration.between(first.at(), now).toMinutes() + " min"));
    }
}
