package dev.eventpipeline.smt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * First-level cache of confirmed de-duplication hashes (→ expiry millis), LRU-bounded: a duplicate
 * seen again within the window is filtered without a Redis round trip. Never holds pending marks.
 */
final class ConfirmedCache {
    private final int maxEntries;
    private final LinkedHashMap<String, Long> entries;

    ConfirmedCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > ConfirmedCache.this.maxEntries;
            }
        };
    }

    synchronized boolean contains(String hash, long now) {
        if (maxEntries == 0) {
            return false;
        }
        Long until = entries.get(hash);
        if (until == null) {
            return false;
        }
        if (until <= now) {
            entries.remove(hash);
            return false;
        }
        return true;
    }

    synchronized void put(String hash, long until) {
        if (maxEntries > 0) {
            entries.put(hash, until);
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
