package dev.eventpipeline.reliability.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessedDrainTest {
    private static final Set<String> ACKED = Set.of("r1-ws0-1", "r1-ws0-2");
    private static final Duration POLL = Duration.ofMillis(10);

    @Test
    void waitsUntilTheTrailingRowArrives() throws InterruptedException {
        // the enriched row of r1-ws0-2 shows up at the third poll, as when the processed sink trails events_raw
        AtomicInteger polls = new AtomicInteger();
        ProcessedDrain drain = new ProcessedDrain(run -> polls.incrementAndGet() < 3
                ? List.of(run + "-ws0-1") : List.of(run + "-ws0-1", run + "-ws0-2"), POLL);

        ProcessedDrain.Result r = drain.await("r1", ACKED, Duration.ofSeconds(10));

        assertThat(r.drained()).isTrue();
        assertThat(r.timeoutMessage()).isNull();
        assertThat(r.check().lost()).isZero();
        assertThat(r.check().rows()).isEqualTo(2);
        assertThat(polls.get()).isEqualTo(3);
    }

    @Test
    void aRowThatNeverArrivesIsReportedLostProcessedAfterTheTimeout() throws InterruptedException {
        ProcessedDrain drain = new ProcessedDrain(run -> List.of("r1-ws0-1"), POLL);

        ProcessedDrain.Result r = drain.await("r1", ACKED, Duration.ofMillis(200));

        assertThat(r.drained()).isFalse();
        assertThat(r.check().lost()).isEqualTo(1);
        assertThat(r.check().ok()).isFalse();
        assertThat(r.waitedMs()).isGreaterThanOrEqualTo(200);
        assertThat(r.timeoutMessage()).contains("not drained within 0 s").contains("1 of 2").contains("r1-ws0-2");
    }

    @Test
    void aDuplicateFoundOnceDrainedIsReported() throws InterruptedException {
        ProcessedDrain drain = new ProcessedDrain(run -> List.of("r1-ws0-1", "r1-ws0-2", "r1-ws0-2"), POLL);

        ProcessedDrain.Result r = drain.await("r1", ACKED, Duration.ofSeconds(10));

        assertThat(r.drained()).isTrue();
        assertThat(r.check().duplicateIds()).isEqualTo(1);
        assertThat(r.check().ok()).isFalse();
    }

    @Test
    void keepsPollingWhileClickHouseIsDown() throws InterruptedException {
        List<String> answers = new ArrayList<>();
        ProcessedDrain drain = new ProcessedDrain(run -> {
            if (answers.size() < 2) {
                answers.add("refused");
                throw new IOException("Connection refused");
            }
            return List.copyOf(ACKED);
        }, POLL);

        ProcessedDrain.Result r = drain.await("r1", ACKED, Duration.ofSeconds(10));

        assertThat(r.drained()).isTrue();
        assertThat(answers).hasSize(2);
    }

    @Test
    void clickHouseSilentForTheWholeTimeoutIsAnError() {
        ProcessedDrain drain = new ProcessedDrain(run -> {
            throw new IOException("Connection refused");
        }, POLL);

        assertThatThrownBy(() -> drain.await("r1", ACKED, Duration.ofMillis(100)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not answer");
    }
}
