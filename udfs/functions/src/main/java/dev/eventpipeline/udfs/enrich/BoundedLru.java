package dev.eventpipeline.udfs.enrich;

import java.util.LinkedHashMap;
import java.util.Map;

/** An access-ordered map that forgets its least recently used entry beyond a size bound. */
final class BoundedLru<K, V> extends LinkedHashMap<K, V> {
    private final long max;

    BoundedLru(long max) {
        super(1024, 0.75f, true);
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
    }
}
