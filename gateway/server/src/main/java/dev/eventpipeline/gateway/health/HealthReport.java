package dev.eventpipeline.gateway.health;

import java.time.Instant;
import java.util.List;

/**
 * The pipeline's health: alive whenever the gateway answers; ready when every dependency is up.
 * {@link #notReadyBecause()} names each dependency that is down and why.
 */
public record HealthReport(Instant checkedAt, boolean ready, List<Check> dependencies) {
    public String status() {
        return ready ? "UP" : "DEGRADED";
    }

    public List<String> notReadyBecause() {
        return dependencies.stream().filter(c -> !c.up()).map(c -> c.name() + ": " + c.detail()).toList();
    }
}
