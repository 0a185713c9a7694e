package dev.eventpipeline.gateway.health;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HealthServiceTest {
    static DependencyProbe probe(String name, boolean up, AtomicInteger calls) {
        return new DependencyProbe() {
            public String name() {
                return name;
            }

            public Check check() {
                calls.incrementAndGet();
                return up ? Check.up(name, "ok", 1) : Check.down(name, "connection refused", 1);
            }
        };
    }

    @Test
    void readyOnlyWhenEveryDependencyIsUpAndSaysWhyNot() {
        AtomicInteger calls = new AtomicInteger();
        try (HealthService s = new HealthService(List.of(probe("kafka", true, calls), probe("redis", false, calls)),
                Duration.ZERO, Clock.systemUTC())) {
            HealthReport r = s.report();
            assertThat(r.ready()).isFalse();
            assertThat(r.status()).isEqualTo("DEGRADED");
            assertThat(r.notReadyBecause()).containsExactly("redis: connection refused");
        }
    }

    @Test
    void cachesTheReportForItsMaxAge() {
        AtomicInteger calls = new AtomicInteger();
        Instant t = Instant.parse("2026-11-27T08:00:00Z");
        Clock fixed = Clock.fixed(t, ZoneOffset.UTC);
        try (HealthService s = new HealthService(List.of(probe("kafka", true, calls)), Duration.ofSeconds(1), fixed)) {
            assertThat(s.report().ready()).isTrue();
            s.report();
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void aHungProbeIsReportedDownAfterItsTimeout() {
        DependencyProbe hung = new DependencyProbe() {
            public String name() {
                return "clickhouse";
            }

            public Check check() {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Check.up("clickhouse", "late", 10_000);
            }
        };
        try (HealthService s = new HealthService(List.of(hung), Duration.ZERO, Clock.systemUTC())) {
            long t0 = System.nanoTime();
            HealthReport r = s.report();
            assertThat(r.ready()).isFalse();
            assertThat(r.dependencies().get(0).detail()).contains("no answer within 3 s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        }
    }
}
