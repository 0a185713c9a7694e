package dev.eventpipeline.reliability.audit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PathCheckTest {
    private static final Set<String> ACKED = Set.of("r1-ws0-1", "r1-ws0-2", "r1-http0-1");

    @Test
    void everyAcknowledgedIdWithOneRowIsOk() {
        PathCheck check = PathCheck.of("events_processed", ACKED, List.of("r1-ws0-1", "r1-ws0-2", "r1-http0-1"));

        assertThat(check.ok()).isTrue();
        assertThat(check.acknowledged()).isEqualTo(3);
        assertThat(check.rows()).isEqualTo(3);
        assertThat(check.lost()).isZero();
        assertThat(check.duplicateIds()).isZero();
    }

    @Test
    void aMissingProcessedRowIsOneLost() {
        PathCheck check = PathCheck.of("events_processed", ACKED, List.of("r1-ws0-1", "r1-http0-1"));

        assertThat(check.lost()).isEqualTo(1);
        assertThat(check.lostSample()).containsExactly("r1-ws0-2");
        assertThat(check.ok()).isFalse();
    }

    @Test
    void anIdWithTwoRowsIsOneDuplicate() {
        PathCheck check = PathCheck.of("events_processed", ACKED,
                List.of("r1-ws0-1", "r1-ws0-2", "r1-ws0-2", "r1-http0-1"));

        assertThat(check.duplicateIds()).isEqualTo(1);
        assertThat(check.rows()).isEqualTo(4);
        assertThat(check.lost()).isZero();
        assertThat(check.ok()).isFalse();
    }

    @Test
    void rowsOfUnacknowledgedEventsAreCountedButAreNoLoss() {
        // e.g. an event written before the worker was killed, its ack lost and the resend answered duplicate
        PathCheck check = PathCheck.of("events_raw", ACKED, List.of("r1-ws0-1", "r1-ws0-2", "r1-http0-1", "r1-ws0-3"));

        assertThat(check.rows()).isEqualTo(4);
        assertThat(check.ok()).isTrue();
    }

    @Test
    void theLostSampleIsBounded() {
        PathCheck check = PathCheck.of("events_processed", Set.of("a-1", "a-2", "a-3", "a-4", "a-5", "a-6", "a-7"), List.of());

        assertThat(check.lost()).isEqualTo(7);
        assertThat(check.lostSample()).hasSize(5);
    }
}
