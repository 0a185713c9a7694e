package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.Version;
import dev.eventpipeline.udfs.lookup.GuardedSource;
import dev.eventpipeline.udfs.lookup.InMemoryHashSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessingMetaFunctionTest {
    @Test
    void fixedClockAndVersion() {
        ProcessingMeta m = new ProcessingMetaFunction(null, "2026-11-27T12:00:00Z", null).apply();
        assertThat(m).isEqualTo(new ProcessingMeta(Version.get(), "2026-11-27T12:00:00Z", false));
        assertThat(Version.get()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void systemClock() {
        Instant before = Instant.now();
        Instant at = Instant.parse(new ProcessingMetaFunction(null, "system", "v").apply().enrichedAt());
        assertThat(at).isBetween(before, Instant.now());
    }

    @Test
    void degradedFollowsTheRedisGuard() {
        InMemoryHashSource redis = new InMemoryHashSource();
        GuardedSource guard = new GuardedSource(redis, 60_000);
        ProcessingMetaFunction fn = new ProcessingMetaFunction(guard, null, "v");
        assertThat(fn.apply().redisDegraded()).isFalse();
        redis.setAvailable(false);
        assertThat(guard.hgetAll("k")).isNull();
        assertThat(fn.apply().redisDegraded()).isTrue();
    }
}
