package dev.eventpipeline.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** A {@link SchemaLog} in memory: for tests and for a throw-away registry. */
public final class InMemorySchemaLog implements SchemaLog {
    private final List<Map.Entry<String, String>> records = new ArrayList<>();
    private BiConsumer<String, String> apply;

    @Override
    public synchronized void start(BiConsumer<String, String> apply, Duration timeout) {
        this.apply = apply;
        records.forEach(e -> apply.accept(e.getKey(), e.getValue()));
    }

    @Override
    public synchronized void append(String key, String value) {
        records.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, value));
        if (apply != null) {
            apply.accept(key, value);
        }
    }

    @Override
    public void sync(Duration timeout) {
    }

    /** Everything appended so far (a second registry can replay the same log). */
    public synchronized List<Map.Entry<String, String>> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
    }
}
