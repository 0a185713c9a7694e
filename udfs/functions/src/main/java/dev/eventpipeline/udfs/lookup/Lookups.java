package dev.eventpipeline.udfs.lookup;

import dev.eventpipeline.udfs.FunctionConfig;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link GuardedSource} per configured store and JVM, shared by every function instance (ksqlDB
 * creates one instance per query and function), so they share the connection pool and the
 * degraded flag. {@code redis.url = memory:<name>} selects an {@link InMemoryHashSource}.
 */
public final class Lookups {
    private static final Map<String, GuardedSource> SOURCES = new ConcurrentHashMap<>();
    private static final Map<String, InMemoryHashSource> MEMORY = new ConcurrentHashMap<>();

    private Lookups() {
    }

    /** The in-memory store named {@code name} (created empty on first use). */
    public static InMemoryHashSource memory(String name) {
        return MEMORY.computeIfAbsent(name, n -> new InMemoryHashSource());
    }

    /** Forgets an in-memory store and its guard (tests). */
    public static void dropMemory(String name) {
        MEMORY.remove(name);
        SOURCES.keySet().removeIf(k -> k.startsWith("memory:" + name + "|"));
    }

    /** The shared guarded source of the configured Redis, or null when no store is configured. */
    public static GuardedSource forConfig(FunctionConfig config) {
        String url = config.string(FunctionConfig.REDIS_URL, null);
        if (url == null) {
            return null;
        }
        long timeoutMs = config.positiveLong(FunctionConfig.REDIS_TIMEOUT_MS, 500);
        long backoffMs = config.positiveLong(FunctionConfig.REDIS_RETRY_BACKOFF_MS, 1000);
        return SOURCES.computeIfAbsent(url + "|" + timeoutMs + "|" + backoffMs, k -> {
            HashSource source = url.startsWith("memory:")
                    ? memory(url.substring("memory:".length()))
                    : new RedisHashSource(url, (int) timeoutMs);
            return new GuardedSource(source, backoffMs);
        });
    }
}
