package dev.eventpipeline.gateway.alert;

import dev.eventpipeline.gateway.deadletter.DeadLetterStats;
import dev.eventpipeline.gateway.health.Check;
import dev.eventpipeline.gateway.health.HealthReport;
import dev.eventpipeline.gateway.status.ConnectorStatus;
import dev.eventpipeline.gateway.status.PipelineStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRulesTest {
    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    static final AlertRules.Thresholds THRESHOLDS = new AlertRules.Thresholds(10, 1000, Duration.ofMinutes(2), true, true);

    static PipelineStatus status(boolean redisUp, String taskState, long lag, double dlqLastMinute) {
        List<Check> deps = List.of(check("kafka", true), check("redis", redisUp));
        HealthReport health = new HealthReport(T0, deps.stream().allMatch(Check::up), deps);
        List<ConnectorStatus> connectors = List.of(new ConnectorStatus("clickhouse-sink-raw", "sink", "c", "RUNNING", null,
                List.of(new ConnectorStatus.Task(0, taskState, "w", "FAILED".equals(taskState) ? "java.io.IOException: boom\n\tat x" : null))));
        return new PipelineStatus(T0, "HEALTHY", List.of(), health, connectors, Map.of(),
                Map.of("connect-clickhouse-sink-raw", Map.of("cart-events-validated", lag)), 0,
                new DeadLetterStats.Counts(0, Map.of(), Map.of(), dlqLastMinute, 0), List.of());
    }

    static Check check(String name, boolean up) {
        return up ? Check.up(name, "ok", 1) : Check.down(name, "connection refused", 1);
    }

    @Test
    void eachRuleFiresOnItsCondition() {
        AlertRules rules = new AlertRules(THRESHOLDS);
        assertThat(rules.evaluate(status(true, "RUNNING", 5, 0), T0)).isEmpty();
        List<Condition> all = rules.evaluate(status(false, "FAILED", 5000, 11), T0.plusSeconds(5));
        assertThat(all).extracting(Condition::id).containsExactlyInAnyOrder("dependency-down:redis",
                "connector-failed:clickhouse-sink-raw", "dlq-rate:cart-events-dlq",
                "lag-above:connect-clickhouse-sink-raw/cart-events-validated");
        assertThat(all).filteredOn(c -> c.rule().equals("connector-failed")).first()
                .extracting(Condition::message).asString().contains("task(s) 0 FAILED", "java.io.IOException: boom").doesNotContain("\tat");
    }

    @Test
    void lagGrowingFiresOnlyAfterTheWholeWindowOfGrowth() {
        AlertRules rules = new AlertRules(new AlertRules.Thresholds(-1, -1, Duration.ofMinutes(2), false, false));
        assertThat(rules.evaluate(status(true, "RUNNING", 10, 0), T0)).isEmpty();
        assertThat(rules.evaluate(status(true, "RUNNING", 20, 0), T0.plusSeconds(60))).isEmpty();
        List<Condition> grown = rules.evaluate(status(true, "RUNNING", 30, 0), T0.plusSeconds(120));
        assertThat(grown).extracting(Condition::id).containsExactly("lag-growing:connect-clickhouse-sink-raw");
        assertThat(grown.get(0).message()).contains("from 10 to 30");
        // A dip starts over.
        assertThat(rules.evaluate(status(true, "RUNNING", 25, 0), T0.plusSeconds(130))).isEmpty();
        assertThat(rules.evaluate(status(true, "RUNNING", 26, 0), T0.plusSeconds(200))).isEmpty();
    }

    @Test
    void alertsFireOnceAndResolveByThemselves() {
        List<Alert> published = new ArrayList<>();
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        AlertManager manager = new AlertManager(new AlertRules(THRESHOLDS), List.of(published::add), clock);
        manager.evaluate(status(false, "RUNNING", 0, 0));
        manager.evaluate(status(false, "RUNNING", 0, 0));
        assertThat(published).extracting(Alert::id, Alert::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dependency-down:redis", "FIRING"));
        assertThat(manager.firing()).hasSize(1);
        manager.evaluate(status(true, "RUNNING", 0, 0));
        assertThat(published).extracting(Alert::state).containsExactly("FIRING", "RESOLVED");
        assertThat(published.get(1).resolvedAt()).isEqualTo(T0);
        assertThat(manager.firing()).isEmpty();
    }
}
