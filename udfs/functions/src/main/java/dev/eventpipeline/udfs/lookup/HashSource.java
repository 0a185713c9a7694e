package dev.eventpipeline.udfs.lookup;

import java.util.Map;

/** Where lookups read a Redis hash from: Redis itself, or an in-memory map in tests and fixtures. */
public interface HashSource extends AutoCloseable {
    /**
     * All fields of the hash at {@code key}; empty when the key does not exist.
     *
     * @throws LookupUnavailableException when the store cannot answer (connection refused, timeout)
     */
    Map<String, String> hgetAll(String key) throws LookupUnavailableException;

    @Override
    default void close() {
    }
}
