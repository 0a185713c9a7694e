package dev.eventpipeline.schema;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The durable, ordered log the registry state is rebuilt from: a compacted Kafka topic in production
 * ({@link KafkaSchemaLog}), memory in unit tests. Keys: {@code schema/<subject>/<version>},
 * {@code config/<subject>}, {@code config/_global}; values: JSON text (null = tombstone).
 */
public interface SchemaLog extends AutoCloseable {

    /** Replays the whole log into {@code apply}, then keeps delivering new records (any thread). */
    void start(BiConsumer<String, String> apply, Duration timeout);

    /** Appends durably (returns once acknowledged); the record is delivered to {@code apply} before this returns. */
    void append(String key, String value);

    /** Waits until every record appended before this call (by anyone) has been delivered. */
    void sync(Duration timeout);

    @Override
    void close();
}
