package dev.eventpipeline.ksql;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Records the twin has dead-lettered since it started, per stage (shared by every stream thread). */
public final class DeadLetterCounts {
    private final Map<String, AtomicLong> byStage = new ConcurrentHashMap<>();

    void increment(String stage) {
        byStage.computeIfAbsent(stage, s -> new AtomicLong()).incrementAndGet();
    }

    public long get(String stage) {
        AtomicLong n = byStage.get(stage);
        return n == null ? 0 : n.get();
    }

    public long total() {
        return byStage.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Stage → count, sorted by stage. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byStage.forEach((stage, n) -> out.put(stage, n.get()));
        return out;
    }
}
