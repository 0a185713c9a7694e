package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.ingest.record.EventRecordFactory;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DedupConfirmerTest {
    private final EventRecordFactory records = new EventRecordFactory("raw", "127.0.0.1:1", "t-0");
    private DedupConfirmer confirmer;

    @AfterEach
    void close() {
        if (confirmer != null) {
            confirmer.close();
        }
    }

    private TrackedRecord record(String eventId) {
        String json = TestEvents.event(eventId);
        return records.create(new ReceivedEvent(TestEvents.envelope(json), json, 1L, ReceivedEvent.HTTP), o -> { }, 0, 1_000_000);
    }

    private static RecordMetadata writtenTo(String topic) {
        return new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0L, 0, 0);
    }

    /** Records every confirmAll; fails the first {@code failures} calls. */
    static final class FakeStore implements DedupConfirmer.Store {
        final List<List<DedupStore.Confirmation>> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger failures;
        volatile CountDownLatch hold = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);

        FakeStore(int failures) {
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public void confirmAll(List<DedupStore.Confirmation> confirmations) {
            entered.countDown();
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("redis down");
            }
            calls.add(List.copyOf(confirmations));
        }

        List<DedupStore.Confirmation> all() {
            return calls.stream().flatMap(List::stream).toList();
        }
    }

    @Test
    void confirmsWrittenRecordsByTheirPreMarkHashOrElseByTheirEventIdAndNeverDeadLetteredOnes() {
        FakeStore store = new FakeStore(0);
        confirmer = new DedupConfirmer(store, "dlq", 5);
        TrackedRecord preMarked = record("a");
        preMarked.headers().addString(ErrorHeaders.DEDUP_HASH, "hash-from-pre-mark");
        confirmer.onDurablyWritten(preMarked, writtenTo("validated"));
        confirmer.onDurablyWritten(record("b"), writtenTo("validated"));
        confirmer.onDurablyWritten(record("invalid"), writtenTo("dlq"));

        await().atMost(Duration.ofSeconds(5)).until(() -> store.all().size() == 2);
        assertThat(store.all()).containsExactlyInAnyOrder(
                new DedupStore.Confirmation("hash-from-pre-mark", "a"),
                new DedupStore.Confirmation(DedupKeys.hashOfId("b"), "b"));
        assertThat(confirmer.confirmed()).isEqualTo(2);
    }

    @Test
    void confirmsWhatArrivedMeanwhileInOneRoundTrip() {
        FakeStore store = new FakeStore(0);
        store.hold = new CountDownLatch(1); // the first round trip is slow: the next writes queue up behind it
        confirmer = new DedupConfirmer(store, "dlq", 5);
        confirmer.onDurablyWritten(record("first"), writtenTo("validated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.entered.getCount() == 0); // "first" is in its round trip
        for (int i = 0; i < 50; i++) {
            confirmer.onDurablyWritten(record("e" + i), writtenTo("validated"));
        }
        store.hold.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.all().size() == 51);
        assertThat(store.calls).hasSize(2);
        assertThat(store.calls.get(1)).hasSize(50);
    }

    @Test
    void retriesAFailedRoundTripAndGivesUpAfterTheBoundLeavingTheMarksPending() {
        FakeStore flaky = new FakeStore(2);
        confirmer = new DedupConfirmer(flaky, "dlq", 1);
        confirmer.onDurablyWritten(record("x"), writtenTo("validated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> flaky.all().size() == 1);
        assertThat(confirmer.givenUp()).isZero();
        confirmer.close();

        FakeStore down = new FakeStore(Integer.MAX_VALUE);
        confirmer = new DedupConfirmer(down, "dlq", 1);
        confirmer.onDurablyWritten(record("y"), writtenTo("validated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> confirmer.givenUp() == 1);
        assertThat(down.all()).isEmpty();
        assertThat(down.failures.get()).isEqualTo(Integer.MAX_VALUE - DedupConfirmer.MAX_ATTEMPTS);
    }

    @Test
    void confirmsWhatIsLeftOnceAtClose() {
        FakeStore store = new FakeStore(0);
        store.hold = new CountDownLatch(1);
        confirmer = new DedupConfirmer(store, "dlq", 5);
        confirmer.onDurablyWritten(record("busy"), writtenTo("validated"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.entered.getCount() == 0);
        confirmer.onDurablyWritten(record("left"), writtenTo("validated"));
        store.hold.countDown();
        confirmer.close();
        confirmer.onDurablyWritten(record("after-close"), writtenTo("validated"));
        assertThat(store.all()).extracting(DedupStore.Confirmation::eventId).containsExactlyInAnyOrder("busy", "left");
        confirmer = null;
    }

    @Test
    void needsTheTransformWithConfirmModeExternal() {
        assertThatThrownBy(() -> new DedupConfirmer().configure(Map.of("transforms", "validate",
                "transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a DeduplicateEvent transform");
        assertThatThrownBy(() -> new DedupConfirmer().configure(Map.of("transforms.d.type", DedupTransformSettings.TRANSFORM_CLASS,
                "transforms.d.redis.url", "redis://127.0.0.1:1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transforms.d.confirm.mode=external");
        assertThatThrownBy(() -> new DedupConfirmer().configure(Map.of("transforms.d.type", DedupTransformSettings.TRANSFORM_CLASS,
                "transforms.d.redis.url", "redis://127.0.0.1:1", "transforms.d.confirm.mode", "external",
                "transforms.d.dedup.key.field", "sessionId")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keys events by eventId");
        DedupConfirmer ok = new DedupConfirmer();
        ok.configure(Map.of("transforms.d.type", DedupTransformSettings.TRANSFORM_CLASS, "transforms.d.redis.url",
                "redis://127.0.0.1:1", "transforms.d.confirm.mode", "EXTERNAL", "dlq.topic", "dlq"));
        ok.close();
    }
}
