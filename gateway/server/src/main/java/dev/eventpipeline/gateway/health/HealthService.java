package dev.eventpipeline.gateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs every probe in parallel (so one hung dependency costs at most its own timeout) and keeps
 * the report for a short time so scrapers and load balancers polling together cost one round.
 */
public final class HealthService implements AutoCloseable {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final List<DependencyProbe> probes;
    private final Duration maxAge;
    private final Clock clock;
    private final ExecutorService pool;
    private HealthReport last;

    public HealthService(List<DependencyProbe> probes, Duration maxAge, Clock clock) {
        this.probes = List.copyOf(probes);
        this.maxAge = maxAge;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(Math.max(1, probes.size()), r -> {
            Thread t = new Thread(r, "health-probe");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized HealthReport report() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.checkedAt(), now).compareTo(maxAge) < 0) {
            return last;
        }
        List<CompletableFuture<Check>> running = new ArrayList<>();
        for (DependencyProbe probe : probes) {
            running.add(CompletableFuture.supplyAsync(probe::check, pool)
                    .completeOnTimeout(Check.down(probe.name(), "no answer within " + PROBE_TIMEOUT.toSeconds() + " s",
                            PROBE_TIMEOUT.toMillis()), PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
        List<Check> checks = running.stream().map(CompletableFuture::join).toList();
        last = new HealthReport(now, checks.stream().allMatch(Check::up), checks);
        return last;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
