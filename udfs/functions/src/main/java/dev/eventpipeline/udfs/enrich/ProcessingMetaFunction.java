package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.Version;
import dev.eventpipeline.udfs.lookup.GuardedSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * PROCESSING_META: pipeline version, enrichment time and the Redis degraded flag. The clock is
 * {@code system}, or a fixed ISO instant (fixtures and tests, so expected outputs are exact).
 */
public final class ProcessingMetaFunction {
    private final GuardedSource redis;
    private final Clock clock;

    private final String version;

    public ProcessingMetaFunction(GuardedSource redis, String clockSpec, String version) {
        this.redis = redis;
        this.clock = clock(clockSpec);
        this.version = version == null ? Version.get() : version;
    }

    public static Clock clock(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("system")) {
            return Clock.systemUTC();
        }
        return Clock.fixed(Instant.parse(spec.trim()), ZoneOffset.UTC);
    }

    public ProcessingMeta apply() {
        return new ProcessingMeta(version, clock.instant().toString(), redis != null && redis.degraded());
    }
}
