package dev.eventpipeline.udfs.lookup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashes held in memory, for tests, fixtures and benchmarks ({@code redis.url = memory:<name>}).
 * {@link #setAvailable(boolean) setAvailable(false)} simulates a Redis outage.
 */
public final class InMemoryHashSource implements HashSource {
    private final Map<String, Map<String, String>> hashes = new ConcurrentHashMap<>();
    private volatile boolean available = true;
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    public InMemoryHashSource put(String key, Map<String, String> fields) {
        hashes.put(key, Map.copyOf(fields));
        return this;
    }

    public void setAvailable(boolean available) {
        this.available = available;
    }

    public long calls() {
        return calls.get();
    }

    @Override
    public Map<String, String> hgetAll(String key) throws LookupUnavailableException {
        calls.incrementAndGet();
        if (!available) {
            throw new LookupUnavailableException("in-memory source marked unavailable", null);
        }
        return hashes.getOrDefault(key, Map.of());
    }
}
