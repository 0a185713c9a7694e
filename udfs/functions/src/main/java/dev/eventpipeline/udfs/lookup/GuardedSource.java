package dev.eventpipeline.udfs.lookup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HashSource} behind a simple circuit: after a failed call, lookups answer "unavailable"
 * without calling the store until the back-off has passed, so an outage costs one timeout per
 * back-off period, not one per event. {@link #degraded()} is the flag written into
 * {@code enrichment.meta.redisDegraded}.
 */
public final class GuardedSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GuardedSource.class);

    private final HashSource source;
    private final long backoffNanos;
    private volatile long retryAt;
    private volatile boolean degraded;

    public GuardedSource(HashSource source, long backoffMs) {
        this.source = source;
        this.backoffNanos = TimeUnit.MILLISECONDS.toNanos(backoffMs);
    }

    /** The hash's fields (empty when missing), or null when the store is unavailable. */
    public Map<String, String> hgetAll(String key) {
        if (degraded && System.nanoTime() - retryAt < 0) {
            return null;
        }
        try {
            Map<String, String> fields = source.hgetAll(key);
            if (degraded) {
                log.info("{} answers again; lookups resume", source);
                degraded = false;
            }
            return fields;
        } catch (LookupUnavailableException | RuntimeException e) {
            if (!degraded) {
                log.warn("{} unavailable, enrichment continues with nulls and redisDegraded=true: {}", source, e.getMessage());
            }
            retryAt = System.nanoTime() + backoffNanos;
            degraded = true;
            return null;
        }
    }

    public boolean degraded() {
        return degraded;
    }

    public HashSource source() {
        return source;
    }

    @Override
    public void close() throws Exception {
        source.close();
    }
}
