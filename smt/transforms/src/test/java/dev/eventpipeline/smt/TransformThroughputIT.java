package dev.eventpipeline.smt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost per event of the transforms on this machine, single-threaded like a source task's transform
 * chain, against a real local Redis. Prints one line per measurement (grep "THROUGHPUT"); asserts
 * only loose floors so a loaded shared box does not fail the build. Events: the shipped
 * order-completed example (≈560 bytes) with unique eventIds, as String values.
 */
@Tag("integration")
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "smt.bench", matches = "true",
        disabledReason = "benchmark: run with -Dsmt.bench=true (see smt/transforms/README.md)")
class TransformThroughputIT {
    static final int N = Integer.getInteger("throughput.events", 100_000);
    static final int BATCH = 500; // the source task's poll.max.records default

    @TempDir
    static Path dir;
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"), PortCheck.freePort());
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.stop();
        }
    }

    static List<SourceRecord> records(int n) throws Exception {
        return records(n, new ArrayList<>());
    }

    /** Also collects the eventIds, in order (what the listener knows of each event at admission). */
    static List<SourceRecord> records(int n, List<String> eventIds) throws Exception {
        ObjectNode e = (ObjectNode) JsonMapper.get().readTree(Examples.example("order-completed.json"));
        List<SourceRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            eventIds.add(id);
            e.put("eventId", id);
            out.add(ValidateEventTest.record(JsonMapper.get().writeValueAsString(e)));
        }
        return out;
    }

    /** The marks of one poll batch, as the marking thread hands them to the task thread. */
    record BatchMarks(List<String> hashes, List<DedupStore.Mark> marks) {
    }

    /**
     * The event-source task's marking thread, ahead of the task thread: marks each batch of {@code eventIds}
     * in one pipelined round trip and completes that batch's future.
     */
    static Thread markingAhead(DedupStore store, List<String> eventIds, List<CompletableFuture<BatchMarks>> out) {
        for (int i = 0; i < eventIds.size(); i += BATCH) {
            out.add(new CompletableFuture<>());
        }
        Thread t = new Thread(() -> {
            for (int b = 0; b < out.size(); b++) {
                List<String> ids = eventIds.subList(b * BATCH, Math.min(eventIds.size(), (b + 1) * BATCH));
                try {
                    List<String> hashes = ids.stream().map(DedupKeys::hashOfId).toList();
                    out.get(b).complete(new BatchMarks(hashes, store.markAll(hashes, ids)));
                } catch (RuntimeException e) {
                    out.get(b).completeExceptionally(e);
                }
            }
        }, "marking-ahead");
        t.setDaemon(true);
        return t;
    }

    ValidateEvent<SourceRecord> validate() {
        SchemaRegistry registry = SchemaRegistry.inMemory();
        ShippedSchemas.registerAll(registry);
        ValidateEvent<SourceRecord> v = new ValidateEvent<>();
        v.configure(Map.of(ValidateEvent.REGISTRY_BOOTSTRAP, "unused:9092"), registry);
        return v;
    }

    DeduplicateEvent<SourceRecord> dedup(Map<String, String> extra) {
        java.util.HashMap<String, String> p = new java.util.HashMap<>(Map.of(DeduplicateEvent.REDIS_URL, redis.url(),
                DeduplicateEvent.CONFIRM_MODE, "external"));
        p.putAll(extra);
        DeduplicateEvent<SourceRecord> d = new DeduplicateEvent<>();
        d.configure(p);
        return d;
    }

    static double rate(int n, long nanos) {
        return n / (nanos / 1e9);
    }

    static void report(String what, int n, long nanos) {
        System.out.printf("THROUGHPUT %-58s %,10.0f events/s  %6.2f us/event%n", what, rate(n, nanos), nanos / 1e3 / n);
    }

    /** Also the CPU time of this (the task's) thread: on a busy shared box it shows the cost apart from waiting for a core. */
    static void report(String what, int n, long nanos, long cpuNanos) {
        System.out.printf("THROUGHPUT %-58s %,10.0f events/s  %6.2f us/event  (thread CPU %5.2f us/event)%n", what,
                rate(n, nanos), nanos / 1e3 / n, cpuNanos / 1e3 / n);
    }

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    @Test
    void measure() throws Exception {
        List<SourceRecord> warm = records(20_000);
        List<SourceRecord> in = records(N);
        try (ValidateEvent<SourceRecord> v = validate();
             DeduplicateEvent<SourceRecord> d = dedup(Map.of());
             DeduplicateEvent<SourceRecord> pre = dedup(Map.of());
             DeduplicateEvent<SourceRecord> atAdmission = dedup(Map.of())) {
            warm.forEach(r -> d.apply(v.apply(r)));
            System.out.printf("THROUGHPUT load average at start: %s%n", java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
            try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", redis.port())) {
                long p0 = System.nanoTime();
                for (int i = 0; i < 20_000; i++) {
                    j.ping();
                }
                report("baseline: Redis PING, sequential round trips", 20_000, System.nanoTime() - p0);
            }

            long c0 = cpu();
            long t0 = System.nanoTime();
            List<SourceRecord> validated = new ArrayList<>(N);
            for (SourceRecord r : in) {
                validated.add(v.apply(r));
            }
            long validateNs = System.nanoTime() - t0;
            long validateCpu = cpu() - c0;
            report("ValidateEvent (parse + envelope + JSON Schema)", N, validateNs, validateCpu);

            t0 = System.nanoTime();
            for (SourceRecord r : validated) {
                assertThat(d.apply(r)).isNotNull();
            }
            long dedupNs = System.nanoTime() - t0;
            report("DeduplicateEvent, 1 Redis round trip per new event", N, dedupNs);
            report("both, per-event round trip", N, validateNs + dedupNs);

            // Duplicates already confirmed: the local first-level cache answers.
            List<SourceRecord> dups = validated.subList(0, Math.min(N, 50_000));
            List<DedupStore.Confirmation> confirms = new ArrayList<>();
            dups.forEach(r -> confirms.add(new DedupStore.Confirmation(DedupKeys.hashOfId(
                    String.valueOf(r.headers().lastWithName(ErrorHeaders.EVENT_ID).value())), null)));
            t0 = System.nanoTime();
            for (int i = 0; i < confirms.size(); i += BATCH) {
                d.store().confirmAll(confirms.subList(i, Math.min(confirms.size(), i + BATCH)));
            }
            report("DedupStore.confirmAll, pipelined batches of " + BATCH, confirms.size(), System.nanoTime() - t0);
            dups.forEach(d::apply); // first pass learns them from Redis
            t0 = System.nanoTime();
            for (SourceRecord r : dups) {
                assertThat(d.apply(r)).isNull();
            }
            report("DeduplicateEvent, confirmed duplicates (local cache)", dups.size(), System.nanoTime() - t0);

            // Task-side pre-mark: one pipelined markAll per poll batch, the SMT trusts the header.
            List<SourceRecord> fresh = new ArrayList<>();
            for (SourceRecord r : records(N)) {
                fresh.add(v.apply(r));
            }
            c0 = cpu();
            t0 = System.nanoTime();
            int passed = 0;
            for (int i = 0; i < fresh.size(); i += BATCH) {
                List<SourceRecord> batch = fresh.subList(i, Math.min(fresh.size(), i + BATCH));
                List<SourceRecord> marked = DedupPremark.premark(pre.store(), batch);
                for (SourceRecord r : marked) {
                    if (pre.apply(r) != null) {
                        passed++;
                    }
                }
            }
            long premarkNs = System.nanoTime() - t0;
            long premarkCpu = cpu() - c0;
            assertThat(passed).isEqualTo(N);
            report("DeduplicateEvent after task pre-mark (markAll per " + BATCH + ")", N, premarkNs, premarkCpu);
            report("both, with task pre-mark", N, validateNs + premarkNs, validateCpu + premarkCpu);

            // Marks done at admission (event-source since issue #4): another thread marks each batch ahead of
            // the task thread, which only puts the marks on (waiting if a batch's are not back) and runs both
            // transforms in one loop, as Connect does.
            List<String> ids = new ArrayList<>(N);
            List<SourceRecord> admitted = records(N, ids);
            List<CompletableFuture<BatchMarks>> marksOf = new ArrayList<>();
            Thread marking = markingAhead(atAdmission.store(), ids, marksOf);
            marking.start();
            c0 = cpu();
            t0 = System.nanoTime();
            long waitedNs = 0;
            passed = 0;
            for (int b = 0; b < marksOf.size(); b++) {
                long w0 = System.nanoTime();
                BatchMarks m = marksOf.get(b).get(30, TimeUnit.SECONDS);
                waitedNs += System.nanoTime() - w0;
                List<SourceRecord> batch = admitted.subList(b * BATCH, Math.min(N, (b + 1) * BATCH));
                for (int i = 0; i < batch.size(); i++) {
                    SourceRecord r = batch.get(i);
                    r.headers().addString(ErrorHeaders.DEDUP_HASH, m.hashes().get(i));
                    r.headers().addString(ErrorHeaders.DEDUP_MARK, m.marks().get(i).name());
                    if (atAdmission.apply(v.apply(r)) != null) {
                        passed++;
                    }
                }
            }
            long admissionNs = System.nanoTime() - t0;
            long admissionCpu = cpu() - c0;
            marking.join(10_000);
            assertThat(passed).isEqualTo(N);
            report("both, marks done at admission (marking thread ahead)", N, admissionNs, admissionCpu);
            System.out.printf("THROUGHPUT   of which waiting for marks not back yet: %.2f us/event%n", waitedNs / 1e3 / N);
            assertThat(rate(N, validateNs)).isGreaterThan(500);
        }
    }
}
