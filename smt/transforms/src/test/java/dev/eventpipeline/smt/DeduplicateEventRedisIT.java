package dev.eventpipeline.smt;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DeduplicateEvent and DedupStore against a real Redis server (Debian redis-server). */
@Tag("integration")
class DeduplicateEventRedisIT {
    @TempDir
    static Path dir;
    static RedisServer redis;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        port = PortCheck.freePort();
        redis = RedisServer.start(dir.resolve("redis"), port);
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.stop();
        }
    }

    static DeduplicateEvent<SourceRecord> transform(Map<String, String> extra) {
        Map<String, String> props = new java.util.HashMap<>(Map.of(
                DeduplicateEvent.REDIS_URL, redis.url(),
                DeduplicateEvent.CONFIRM_MODE, "external",
                DeduplicateEvent.REDIS_TIMEOUT_MS, "200",
                DeduplicateEvent.REDIS_RETRY_BACKOFF_MS, "200"));
        props.putAll(extra);
        DeduplicateEvent<SourceRecord> t = new DeduplicateEvent<>();
        t.configure(props);
        return t;
    }

    static String event(String eventId) {
        return Examples.example("cart-viewed.json").replace("c2e4a6b8-0d1f-4e3a-8b5c-7d9e1f3a5c31", eventId);
    }

    static SourceRecord record(String eventId) {
        return ValidateEventTest.record(event(eventId));
    }

    static String hash(SourceRecord passed) {
        return String.valueOf(passed.headers().lastWithName(ErrorHeaders.DEDUP_HASH).value());
    }

    @Test
    void aPendingMarkNeverDropsARetryAndAConfirmedOneFiltersIt() {
        try (DeduplicateEvent<SourceRecord> t = transform(Map.of())) {
            String id = UUID.randomUUID().toString();
            SourceRecord first = t.apply(record(id));
            assertThat(first).isNotNull();
            assertThat(hash(first)).isEqualTo(DedupKeys.hashOfId(id));
            DedupStore store = t.store();
            assertThat(store.get(hash(first))).contains("\"state\":\"pending\"").contains(id);
            assertThat(store.ttlMs(hash(first))).isBetween(1L, 120_000L);

            // The write of `first` failed (no confirm); the client retries: the retry must be written.
            SourceRecord retry = t.apply(record(id));
            assertThat(retry).isNotNull();
            assertThat(t.counters()).containsEntry("pending.passed", 1L);

            // The retry's write is acknowledged: the task (or the topic confirmer) confirms.
            store.confirm(hash(retry), id);
            assertThat(store.get(hash(retry))).contains("\"state\":\"confirmed\"");
            assertThat(store.ttlMs(hash(retry))).isGreaterThan(3_000_000L);

            // A third copy within the window is a duplicate.
            assertThat(t.apply(record(id))).isNull();
            assertThat(t.counters()).containsEntry("duplicates", 1L);
        }
    }

    @Test
    void afterTheTtlTheEventIsAcceptedAgain() {
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        try (DeduplicateEvent<SourceRecord> t = transform(Map.of(DeduplicateEvent.TTL_MS, "1500"))) {
            t.clock(now::get);
            String id = UUID.randomUUID().toString();
            SourceRecord first = t.apply(record(id));
            t.store().confirm(hash(first), id);
            assertThat(t.apply(record(id))).isNull(); // from Redis, then cached locally
            assertThat(t.apply(record(id))).isNull(); // local first-level cache
            assertThat(t.counters()).containsEntry("duplicates.local", 1L);
            now.addAndGet(1600);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.store().get(hash(first)) == null);
            assertThat(t.apply(record(id))).isNotNull();
        }
    }

    @Test
    void eventsWithoutAnIdAreKeyedByTheirCanonicalContent() {
        try (DeduplicateEvent<SourceRecord> t = transform(Map.of())) {
            String a = "{\"type\":\"cart.viewed\",\"n\":1,\"m\":{\"x\":1,\"y\":2}}";
            String sameReordered = "{\"m\":{\"y\":2,\"x\":1},\"n\":1,\"type\":\"cart.viewed\"}";
            SourceRecord first = t.apply(ValidateEventTest.record(a));
            t.store().confirm(hash(first), null);
            assertThat(t.apply(ValidateEventTest.record(sameReordered))).isNull();
            assertThat(t.apply(ValidateEventTest.record("{\"n\":2}"))).isNotNull();
        }
    }

    @Test
    void redisStoppedMidRunFailsOpenAndReconnects() throws Exception {
        try (DeduplicateEvent<SourceRecord> t = transform(Map.of(DeduplicateEvent.LOCAL_CACHE_MAX, "0"))) {
            String id = UUID.randomUUID().toString();
            t.store().confirm(hash(t.apply(record(id))), id);
            assertThat(t.apply(record(id))).isNull();

            redis.stop();
            long t0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                assertThat(t.apply(record(UUID.randomUUID().toString()))).isNotNull();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(t.apply(record(id))).as("fail-open: a duplicate passes while Redis is down").isNotNull();
            assertThat(t.counters().get("fail.open.passed")).isGreaterThanOrEqualTo(1001L);
            // the backoff keeps an outage from costing a timeout per event
            assertThat(ms).isLessThan(5_000);

            redis = RedisServer.start(dir.resolve("redis"), port); // no persistence of marks across this restart is needed
            DedupStore store = t.store();
            // Pooled connections (confirm, get) and the per-event mark connection reconnect by themselves;
            // a call that meets a connection broken by the restart fails once and is retried here.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> {
                String fresh = UUID.randomUUID().toString();
                SourceRecord r = t.apply(record(fresh));
                if (r == null || store.get(hash(r)) == null) {
                    return false; // still failing open
                }
                store.confirm(hash(r), fresh);
                return t.apply(record(fresh)) == null; // de-duplicating again after Redis came back
            });
        }
    }

    @Test
    void failClosedRecoversWhenRedisReturns() throws Exception {
        try (DeduplicateEvent<SourceRecord> t = transform(Map.of(DeduplicateEvent.REDIS_FAILURE_MODE, "closed"))) {
            assertThat(t.apply(record(UUID.randomUUID().toString()))).isNotNull();
        }
    }

    @Test
    void markAllPipelinesOneRoundTripForABatch() {
        try (DedupStore store = new DedupStore(redis.url(), 500, 60_000, 3_600_000)) {
            List<String> ids = java.util.stream.IntStream.range(0, 500).mapToObj(i -> UUID.randomUUID().toString()).toList();
            List<String> hashes = ids.stream().map(DedupKeys::hashOfId).toList();
            assertThat(store.markAll(hashes, ids)).containsOnly(DedupStore.Mark.NEW);
            store.confirmAll(List.of(new DedupStore.Confirmation(hashes.get(0), ids.get(0))));
            List<DedupStore.Mark> again = store.markAll(hashes, ids);
            assertThat(again.get(0)).isEqualTo(DedupStore.Mark.CONFIRMED);
            assertThat(again.subList(1, 500)).containsOnly(DedupStore.Mark.PENDING);
        }
    }
}
