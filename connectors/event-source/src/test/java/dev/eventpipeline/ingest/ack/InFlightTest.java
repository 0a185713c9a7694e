package dev.eventpipeline.ingest.ack;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightTest {

    @Test
    void permitsBoundTheUnansweredEventsAndComeBackWhenAnswered() {
        InFlight f = new InFlight(10, 60_000);
        assertThat(f.tryReserve(8)).isTrue();
        assertThat(f.tryReserve(3)).as("a group is admitted whole or not at all").isFalse();
        assertThat(f.unanswered()).isEqualTo(8);
        f.answered();
        assertThat(f.tryReserve(3)).isTrue();
        assertThat(f.unanswered()).isEqualTo(10);
    }

    @Test
    void aWaiterRunsOnceWhenItsGroupFitsNotBefore() {
        InFlight f = new InFlight(10, 60_000);
        f.tryReserve(10);
        List<String> woken = new ArrayList<>();
        f.whenRoomFor(3, () -> woken.add("a"));
        f.answered();
        f.answered();
        assertThat(woken).as("two free permits do not fit a group of three").isEmpty();
        f.answered();
        assertThat(woken).containsExactly("a");
        f.answered();
        assertThat(woken).as("woken once").containsExactly("a");
        assertThat(f.waiting()).isZero();
    }

    @Test
    void aWaiterWhoseGroupAlreadyFitsRunsAtOnce() {
        InFlight f = new InFlight(10, 60_000);
        List<String> woken = new ArrayList<>();
        f.whenRoomFor(5, () -> woken.add("now"));
        assertThat(woken).containsExactly("now");
    }

    @Test
    void waitersAreWokenOldestFirstAndOnlyAsManyAsTheFreePermitsCover() {
        InFlight f = new InFlight(10, 60_000);
        f.tryReserve(10);
        List<String> woken = new ArrayList<>();
        // Each woken sender takes its permits, as a retried frame does.
        f.whenRoomFor(4, () -> woken.add("first" + (f.tryReserve(4) ? "" : " (lost the race)")));
        f.whenRoomFor(4, () -> woken.add("second" + (f.tryReserve(4) ? "" : " (lost the race)")));
        f.whenRoomFor(1, () -> woken.add("third" + (f.tryReserve(1) ? "" : " (lost the race)")));
        for (int i = 0; i < 4; i++) {
            f.answered();
        }
        assertThat(woken).as("4 free permits cover the oldest waiter only; no stampede").containsExactly("first");
        for (int i = 0; i < 4; i++) {
            f.answered();
        }
        assertThat(woken).as("4 more free: the second group; the third waits behind it (FIFO)")
                .containsExactly("first", "second");
        f.answered();
        assertThat(woken).containsExactly("first", "second", "third");
    }

    @Test
    void failingEverythingAtStopWakesEveryWaiterSoItCanAnswerItsClient() {
        InFlight f = new InFlight(10, 60_000);
        f.tryReserve(10);
        List<String> woken = new ArrayList<>();
        f.whenRoomFor(50, () -> woken.add("too big to ever fit"));
        f.whenRoomFor(1, () -> woken.add("small"));
        f.failAll("stopping");
        assertThat(woken).containsExactly("too big to ever fit", "small");
        assertThat(f.waiting()).isZero();
    }
}
