package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.gateway.config.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryDecisionTest {
    static final RetryPolicy POLICY = new RetryPolicy(true, 3, Duration.ofSeconds(1), Duration.ofSeconds(10), 4.0);
    static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    static DeadLetter letter(String classification, int attempt) {
        return new DeadLetter(0, 7, AT, classification, attempt, "Read timed out", "TASK_PUT", null,
                "cart-events-validated", "clickhouse-sink-raw", "e-1", "cart.item_added", "{}", Map.of());
    }

    @Test
    void transientRecordsWaitLongerEachAttemptUpToTheCap() {
        assertThat(RetryDecision.decide(letter("transient", 0), Optional.of("t"), POLICY).dueAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(RetryDecision.decide(letter("transient", 1), Optional.of("t"), POLICY).dueAt()).isEqualTo(AT.plusSeconds(4));
        RetryDecision third = RetryDecision.decide(letter("transient", 2), Optional.of("t"), POLICY);
        assertThat(third.kind()).isEqualTo(RetryDecision.Kind.RETRY);
        assertThat(third.dueAt()).isEqualTo(AT.plusSeconds(10)); // 16 s capped at 10 s
        assertThat(third.why()).isEqualTo("attempt 3 of 3");
    }

    @Test
    void budgetSpentOrNowhereToGoParks() {
        RetryDecision spent = RetryDecision.decide(letter("transient", 3), Optional.of("t"), POLICY);
        assertThat(spent.kind()).isEqualTo(RetryDecision.Kind.PARK);
        assertThat(spent.why()).contains("budget of 3");
        RetryDecision nowhere = RetryDecision.decide(letter("transient", 0), Optional.empty(), POLICY);
        assertThat(nowhere.kind()).isEqualTo(RetryDecision.Kind.PARK);
        assertThat(nowhere.why()).contains("no source topic");
    }

    @Test
    void permanentAndParkedRecordsWaitForAHuman() {
        assertThat(RetryDecision.decide(letter("permanent", 0), Optional.of("t"), POLICY).kind()).isEqualTo(RetryDecision.Kind.IGNORE);
        assertThat(RetryDecision.decide(letter("parked", 3), Optional.of("t"), POLICY).kind()).isEqualTo(RetryDecision.Kind.IGNORE);
    }
}
