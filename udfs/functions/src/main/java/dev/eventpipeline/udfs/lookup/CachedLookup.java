package dev.eventpipeline.udfs.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Map;

/**
 * A bounded cache with a time-to-live in front of a {@link GuardedSource}. Missing keys are cached
 * too (as an empty map), so unknown users do not cost a Redis call per event; unavailable answers
 * are never cached.
 */
public final class CachedLookup {
    private final GuardedSource source;
    private final Cache<String, Map<String, String>> cache;

    public CachedLookup(GuardedSource source, long ttlMs, long maxEntries) {
        this.source = source;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMillis(ttlMs))
                .maximumSize(maxEntries)
                .build();
    }

    /** The hash's fields (empty when missing), or null when the store is unavailable. */
    public Map<String, String> get(String key) {
        Map<String, String> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Map<String, String> fields = source.hgetAll(key);
        if (fields != null) {
            cache.put(key, fields);
        }
        return fields;
    }

    public GuardedSource source() {
        return source;
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
