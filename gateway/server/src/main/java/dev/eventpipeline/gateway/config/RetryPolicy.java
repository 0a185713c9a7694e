package dev.eventpipeline.gateway.config;

import java.time.Duration;

/**
 * When a transient dead letter is retried: attempt {@code n} (0-based) waits
 * {@code initial × multiplier^n}, at most {@code max}; after {@code maxAttempts} attempts it is parked.
 */
public record RetryPolicy(boolean enabled, int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    public Duration backoff(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, attempt);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }

    public boolean exhausted(int attemptsSoFar) {
        return attemptsSoFar >= maxAttempts;
    }
}
