package dev.eventpipeline.reliability.fault;

import dev.eventpipeline.reliability.audit.PathCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioResultTest {
    private static final Set<String> ACKED = Set.of("r1-ws0-1", "r1-ws0-2");
    private static final PathCheck RAW_OK = PathCheck.of("events_raw", ACKED, List.of("r1-ws0-1", "r1-ws0-2"));

    private static ScenarioResult with(PathCheck processed, long processedRecoveryMs) {
        return new ScenarioResult("enrichment-kill", "enrichment runtime SIGKILL", "300 ev/s", 2, 0, 0, RAW_OK, processed,
                null, 0, 1000, 0, 500, processedRecoveryMs, 200);
    }

    @Test
    void aScenarioWhoseEnrichedRowIsMissingFailsAndShowsIt() {
        ScenarioResult r = with(PathCheck.of("events_processed", ACKED, List.of("r1-ws0-1")), -1);

        assertThat(r.ok()).isFalse();
        assertThat(r.tableRow()).contains("| **0 / 1** |").contains("| 2 / 1 |").contains("0.0 s / 0.5 s / n/a");
    }

    @Test
    void aScenarioWithOneRowPerAcknowledgedIdInBothTablesPasses() {
        ScenarioResult r = with(PathCheck.of("events_processed", ACKED, List.of("r1-ws0-1", "r1-ws0-2")), 2300);

        assertThat(r.ok()).isTrue();
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.tableRow()).contains("| **0 / 0** | **0 / 0** |").contains("0.0 s / 0.5 s / 2.3 s");
    }

    @Test
    void aDuplicateInEventsProcessedFailsTheScenario() {
        ScenarioResult r = with(PathCheck.of("events_processed", ACKED, List.of("r1-ws0-1", "r1-ws0-2", "r1-ws0-2")), 100);

        assertThat(r.ok()).isFalse();
        assertThat(r.tableRow()).contains("| **0 / 1** |");
    }

    @Test
    void theHeaderHasAColumnForEveryCellOfARow() {
        String header = ScenarioResult.tableHeader().lines().findFirst().orElseThrow();
        String row = with(RAW_OK, 0).tableRow().strip();

        assertThat(row.chars().filter(c -> c == '|').count()).isEqualTo(header.chars().filter(c -> c == '|').count());
    }
}
