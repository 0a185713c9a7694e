package dev.eventpipeline.ingest.ack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PendingAcksTest {
    private final List<Object> expired = new CopyOnWriteArrayList<>();
    private PendingAcks<Object> acks = new PendingAcks<>(60_000, expired::add, "test");

    @AfterEach
    void close() {
        acks.close();
    }

    @Test
    void completeCallsTheCallbackOnceWithTheOutcome() {
        Object record = new Object();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        acks.register(record, outcomes::add);

        assertThat(acks.complete(record, new Outcome.Accepted("t", 1, 2))).isTrue();
        assertThat(acks.complete(record, new Outcome.Duplicate())).isFalse();

        assertThat(outcomes).containsExactly(new Outcome.Accepted("t", 1, 2));
        assertThat(acks.size()).isZero();
    }

    @Test
    void recordsAreMatchedByIdentity() {
        String a = new String("same");
        String b = new String("same");
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        acks.register(a, outcomes::add);

        assertThat(acks.complete(b, new Outcome.Duplicate())).isFalse();
        assertThat(outcomes).isEmpty();
        acks.register(b, outcomes::add); // equal but distinct: both can wait
        assertThat(acks.size()).isEqualTo(2);
    }

    @Test
    void registeringTheSameObjectTwiceIsABug() {
        Object record = new Object();
        acks.register(record, o -> { });
        assertThatThrownBy(() -> acks.register(record, o -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cancelForgetsWithoutAnswering() {
        Object record = new Object();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        acks.register(record, outcomes::add);

        assertThat(acks.cancel(record)).isTrue();
        assertThat(acks.complete(record, new Outcome.Duplicate())).isFalse();
        assertThat(outcomes).isEmpty();
    }

    @Test
    void failAllAnswersEveryoneFailed() {
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            acks.register(new Object(), outcomes::add);
        }

        assertThat(acks.failAll("stopping")).isEqualTo(3);

        assertThat(outcomes).containsExactly(new Outcome.Failed("stopping"), new Outcome.Failed("stopping"),
                new Outcome.Failed("stopping"));
        assertThat(acks.size()).isZero();
        assertThat(expired).isEmpty();
    }

    @Test
    void expiredEntriesAreFailedAndReported() {
        acks.close();
        acks = new PendingAcks<>(100, expired::add, "test");
        Object record = new Object();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        acks.register(record, outcomes::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo("not acknowledged by Kafka within 100 ms; retry"));
        await().atMost(Duration.ofSeconds(5)).until(() -> expired.contains(record));
        assertThat(acks.complete(record, new Outcome.Duplicate())).isFalse();
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthers() {
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        acks.register(new Object(), o -> {
            throw new IllegalStateException("client gone");
        });
        acks.register(new Object(), outcomes::add);

        assertThat(acks.failAll("x")).isEqualTo(2);
        assertThat(outcomes).hasSize(1);
    }

    @Test
    void exactlyOneAnswerUnderRaces() throws Exception {
        int n = 2_000;
        Object[] records = new Object[n];
        AtomicInteger answers = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            records[i] = new Object();
            acks.register(records[i], o -> answers.incrementAndGet());
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        pool.submit(() -> {
            go.await();
            for (Object r : records) {
                acks.complete(r, new Outcome.Duplicate());
            }
            return null;
        });
        pool.submit(() -> {
            go.await();
            for (int i = n - 1; i >= 0; i--) {
                acks.complete(records[i], new Outcome.Duplicate());
            }
            return null;
        });
        pool.submit(() -> {
            go.await();
            acks.failAll("stop");
            return null;
        });
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(answers.get()).isEqualTo(n);
        assertThat(acks.size()).isZero();
    }
}
