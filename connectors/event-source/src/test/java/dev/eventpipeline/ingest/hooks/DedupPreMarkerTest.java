package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.ingest.record.EventRecordFactory;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import org.apache.kafka.connect.header.Header;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DedupPreMarkerTest {
    private final EventRecordFactory records = new EventRecordFactory("raw", "127.0.0.1:1", "t-0");

    private TrackedRecord record(String eventId) {
        String json = TestEvents.event(eventId);
        return records.create(new ReceivedEvent(TestEvents.envelope(json), json, 1L, ReceivedEvent.HTTP), o -> { }, 0, 1_000_000);
    }

    /** Redis's SET NX GET semantics of DedupStore.markAll, in memory; records who called it. */
    static final class FakeRedis implements DedupPreMarker.Marker {
        final Map<String, String> marks = new ConcurrentHashMap<>();
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        final Set<String> callingThreads = ConcurrentHashMap.newKeySet();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public List<DedupStore.Mark> markAll(List<String> hashes, List<String> eventIds) {
            calls.add(List.copyOf(eventIds));
            callingThreads.add(Thread.currentThread().getName());
            List<DedupStore.Mark> out = new ArrayList<>();
            for (String hash : hashes) {
                String previous = marks.putIfAbsent(hash, "pending");
                out.add(previous == null ? DedupStore.Mark.NEW
                        : previous.equals("confirmed") ? DedupStore.Mark.CONFIRMED : DedupStore.Mark.PENDING);
            }
            return out;
        }

        /** What the transform's confirmer does once the record is in Kafka. */
        void confirm(String eventId) {
            marks.put(DedupKeys.hashOfId(eventId), "confirmed");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private final List<DedupPreMarker> hooks = new ArrayList<>();

    @AfterEach
    void closeHooks() {
        hooks.forEach(DedupPreMarker::close);
    }

    private DedupPreMarker hook(DedupPreMarker.Marker marker, long backoffMs, long waitMs) {
        DedupPreMarker hook = new DedupPreMarker(marker, backoffMs, waitMs);
        hooks.add(hook);
        return hook;
    }

    private static Object markOf(SourceRecord r) {
        Header h = r.headers().lastWithName(ErrorHeaders.DEDUP_MARK);
        return h == null ? null : h.value();
    }

    @Test
    void marksAtAdmissionOnItsOwnThreadAndPollOnlyCollectsTheResults() {
        FakeRedis redis = new FakeRedis();
        redis.confirm("b");
        DedupPreMarker hook = hook(redis, 1_000, 1_000);
        List<TrackedRecord> group = List.of(record("a"), record("b"), record("c"));

        hook.admitted(group);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.calls.size() == 1);
        assertThat(redis.calls).containsExactly(List.of("a", "b", "c"));
        assertThat(redis.callingThreads).as("not the transport's thread").doesNotContain(Thread.currentThread().getName());

        List<SourceRecord> batch = new ArrayList<>(group);
        hook.beforeSend(batch);
        assertThat(redis.calls).as("poll adds no round trip").hasSize(1);
        assertThat(batch).extracting(DedupPreMarkerTest::markOf).containsExactly("NEW", "CONFIRMED", "NEW");
        assertThat(batch.get(1).headers().lastWithName(ErrorHeaders.DEDUP_HASH).value()).isEqualTo(DedupKeys.hashOfId("b"));
    }

    @Test
    void admissionNeverWaitsForRedisAndGroupsAdmittedMeanwhileShareTheNextRoundTrip() throws Exception {
        CountDownLatch inFirstCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeRedis redis = new FakeRedis();
        DedupPreMarker hook = hook((hashes, ids) -> {
            inFirstCall.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return redis.markAll(hashes, ids);
        }, 1_000, 5_000);
        List<TrackedRecord> first = List.of(record("a"));
        hook.admitted(first);
        assertThat(inFirstCall.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        List<TrackedRecord> second = List.of(record("b"), record("c"));
        List<TrackedRecord> third = List.of(record("d"));
        hook.admitted(second);
        hook.admitted(third);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("admission while Redis is busy").isLessThan(Duration.ofMillis(500));

        release.countDown();
        List<SourceRecord> batch = new ArrayList<>();
        batch.addAll(first);
        batch.addAll(second);
        batch.addAll(third);
        hook.beforeSend(batch);
        assertThat(batch).extracting(DedupPreMarkerTest::markOf).containsExactly("NEW", "NEW", "NEW", "NEW");
        assertThat(redis.calls).containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void aMarkNotBackWithinTheWaitLeavesTheRecordToTheTransform() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DedupPreMarker hook = hook((hashes, ids) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ids.stream().map(id -> DedupStore.Mark.NEW).toList();
        }, 1_000, 100);
        List<SourceRecord> batch = new ArrayList<>(List.of(record("a"), record("b")));
        hook.admitted(batch.stream().map(TrackedRecord.class::cast).toList());

        long t0 = System.nanoTime();
        hook.beforeSend(batch);
        Duration waited = Duration.ofNanos(System.nanoTime() - t0);
        release.countDown();

        assertThat(waited).as("one bounded wait for the whole batch").isBetween(Duration.ofMillis(90), Duration.ofMillis(1_000));
        assertThat(batch).extracting(DedupPreMarkerTest::markOf).as("the transform decides itself").containsOnlyNulls();
        assertThat(batch.get(0).headers().lastWithName(ErrorHeaders.DEDUP_HASH)).isNull();
    }

    @Test
    void aRedisFailureLeavesTheGroupUnmarkedAndPausesForTheBackoff() {
        AtomicInteger calls = new AtomicInteger();
        DedupPreMarker hook = hook((hashes, ids) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("connection refused");
        }, 60_000, 1_000);
        List<SourceRecord> first = new ArrayList<>(List.of(record("a")));
        hook.admitted(List.of((TrackedRecord) first.get(0)));
        hook.beforeSend(first);
        List<SourceRecord> second = new ArrayList<>(List.of(record("b")));
        hook.admitted(List.of((TrackedRecord) second.get(0)));
        hook.beforeSend(second);

        assertThat(markOf(first.get(0))).as("the transform decides itself").isNull();
        assertThat(markOf(second.get(0))).isNull();
        assertThat(calls).as("no second try within the backoff").hasValue(1);
    }

    @Test
    void anEventMarkedAtAdmissionButNeverWrittenIsWrittenWhenRetried() {
        // Marked at admission, then not written (ack timeout, task stopping: never handed to Kafka).
        FakeRedis redis = new FakeRedis();
        DedupPreMarker hook = hook(redis, 1_000, 1_000);
        TrackedRecord lost = record("e1");
        hook.admitted(List.of(lost));
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.marks.containsKey(DedupKeys.hashOfId("e1")));

        // The client's retry: a pending mark, which DeduplicateEvent passes (only CONFIRMED filters).
        List<SourceRecord> retry = new ArrayList<>(List.of(record("e1")));
        hook.admitted(List.of((TrackedRecord) retry.get(0)));
        hook.beforeSend(retry);
        assertThat(markOf(retry.get(0))).isEqualTo(DedupStore.Mark.PENDING.name());

        // Once that retry is in Kafka and confirmed, a further copy is the duplicate.
        redis.confirm("e1");
        List<SourceRecord> again = new ArrayList<>(List.of(record("e1")));
        hook.admitted(List.of((TrackedRecord) again.get(0)));
        hook.beforeSend(again);
        assertThat(markOf(again.get(0))).isEqualTo(DedupStore.Mark.CONFIRMED.name());
    }

    @Test
    void manyTransportThreadsAdmittingAtOnceEachGetTheirOwnMarksFromOneRedisUser() throws Exception {
        FakeRedis redis = new FakeRedis();
        DedupPreMarker hook = hook(redis, 1_000, 5_000);
        int threads = 8;
        int groups = 200;
        List<SourceRecord> all = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int g = 0; g < groups; g++) {
                        List<TrackedRecord> group = List.of(record(thread + "-" + g + "-x"), record(thread + "-" + g + "-y"));
                        hook.admitted(group);
                        all.addAll(group);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<SourceRecord> batch = new ArrayList<>(all);
        hook.beforeSend(batch);

        assertThat(batch).hasSize(threads * groups * 2).extracting(DedupPreMarkerTest::markOf).containsOnly("NEW");
        for (SourceRecord r : batch) {
            assertThat(r.headers().lastWithName(ErrorHeaders.DEDUP_HASH).value())
                    .isEqualTo(DedupKeys.hashOfId(((TrackedRecord) r).eventId()));
        }
        assertThat(redis.calls.stream().mapToInt(List::size).sum()).as("each event marked once").isEqualTo(threads * groups * 2);
        assertThat(redis.callingThreads).hasSize(1);
    }

    @Test
    void closeStopsTheThreadLeavesLaterGroupsUnmarkedAndClosesTheStore() {
        FakeRedis redis = new FakeRedis();
        DedupPreMarker hook = new DedupPreMarker(redis, 1_000, 1_000);
        hook.close();
        assertThat(redis.closed).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("dedup-premark-test");

        List<SourceRecord> late = new ArrayList<>(List.of(record("a")));
        hook.admitted(List.of((TrackedRecord) late.get(0)));
        long t0 = System.nanoTime();
        hook.beforeSend(late);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
        assertThat(markOf(late.get(0))).isNull();
        assertThat(redis.calls).isEmpty();
    }

    @Test
    void readsRedisAndKeyFromTheConnectorsDeduplicateTransform() {
        Map<String, String> config = Map.of("transforms", "validate,dedup",
                "transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent",
                "transforms.dedup.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.dedup.redis.url", "redis://127.0.0.1:1");
        assertThat(DedupPreMarker.transformPrefix(config)).isEqualTo("transforms.dedup.");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms", "validate",
                "transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a DeduplicateEvent transform");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.d.redis.url", "redis://127.0.0.1:1", "transforms.d.dedup.key.field", "sessionId")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keys events by eventId");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis.url");
    }

    @Test
    void checksTheTransformsSettingsWithTheTransformsOwnDefinitions() {
        // DedupSettings: what DeduplicateEvent refuses, the pre-mark refuses too, naming the key.
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.d.redis.url", "redis://127.0.0.1:1", "transforms.d.redis.timeout.ms", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transforms.d.").hasMessageContaining("redis.timeout.ms");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.d.redis.url", "localhost:6379")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be redis://");
        DedupPreMarker ok = new DedupPreMarker();
        ok.configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS, "transforms.d.redis.url", "redis://127.0.0.1:1",
                "transforms.d.redis.retry.backoff.ms", "7"));
        ok.close();
    }
}
