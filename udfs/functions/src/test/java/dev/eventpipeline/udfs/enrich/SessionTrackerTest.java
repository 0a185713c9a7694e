package dev.eventpipeline.udfs.enrich;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTrackerTest {
    final SessionTracker tracker = new SessionTracker(3, 30 * 60_000);

    @Test
    void positionsAndGaps() {
        assertThat(tracker.next("s", "2026-11-27T08:00:00Z")).isEqualTo(new SessionContext(1, "2026-11-27T08:00:00Z", 0, null));
        assertThat(tracker.next("s", "2026-11-27T08:00:05.500Z")).isEqualTo(new SessionContext(2, "2026-11-27T08:00:00Z", 5500, 5500L));
        assertThat(tracker.next("s", "2026-11-27T08:01:00Z")).isEqualTo(new SessionContext(3, "2026-11-27T08:00:00Z", 60000, 54500L));
    }

    @Test
    void outOfOrderEventsCountZeroNotNegative() {
        tracker.next("s", "2026-11-27T08:00:10Z");
        assertThat(tracker.next("s", "2026-11-27T08:00:00Z")).isEqualTo(new SessionContext(2, "2026-11-27T08:00:10Z", 0, 0L));
    }

    @Test
    void idleSessionsStartAgain() {
        tracker.next("s", "2026-11-27T08:00:00Z");
        assertThat(tracker.next("s", "2026-11-27T08:30:01Z").position()).isEqualTo(1);
    }

    @Test
    void boundedNumberOfSessions() {
        for (int i = 0; i < 10; i++) {
            tracker.next("s" + i, "2026-11-27T08:00:00Z");
        }
        assertThat(tracker.size()).isEqualTo(3);
    }

    @Test
    void nullsAndMalformedTimes() {
        assertThat(tracker.next(null, "2026-11-27T08:00:00Z")).isNull();
        assertThat(tracker.next("", "2026-11-27T08:00:00Z")).isNull();
        assertThat(tracker.next("s", null)).isNull();
        assertThat(tracker.next("s", "27.11.2026")).isNull();
        assertThat(tracker.size()).isZero();
    }
}
