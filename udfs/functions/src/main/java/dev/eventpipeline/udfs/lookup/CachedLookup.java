package dev.eventpipeline.udfs.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded cache with a time-to-live in front of a {@link GuardedSource}, holding each hash already
 * parsed into {@code T} (so a warm lookup costs a map access, not a parse). Missing keys are cached
 * too, so unknown users do not cost a Redis call per event; unavailable answers are never cached.
 */
public final class CachedLookup<T> {
    /** A cached answer; {@code value} is null for a missing key or unusable data. */
    private record Entry<T>(T value) {
    }

    private final GuardedSource source;
    private final Function<Map<String, String>, T> parse;
    private final Cache<String, Entry<T>> cache;

    public CachedLookup(GuardedSource source, long ttlMs, long maxEntries, Function<Map<String, String>, T> parse) {
        this.source = source;
        this.parse = parse;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMillis(ttlMs))
                .maximumSize(maxEntries)
                .build();
    }

    /** The parsed hash (null when missing, unusable or when the store is unavailable). */
    public T get(String key) {
        Entry<T> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached.value();
        }
        Map<String, String> fields = source.hgetAll(key);
        if (fields == null) {
            return null;
        }
        T value = fields.isEmpty() ? null : parse.apply(fields);
        cache.put(key, new Entry<>(value));
        return value;
    }

    public GuardedSource source() {
        return source;
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
