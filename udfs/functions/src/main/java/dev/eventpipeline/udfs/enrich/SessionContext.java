package dev.eventpipeline.udfs.enrich;

/**
 * Where an event sits in its session: {@code position} 1 for the first event, {@code startedAt} the
 * first event's time, {@code msSinceStart} and {@code msSincePrevious} (null for the first event);
 * both are ≥ 0 (an event older than its predecessor counts 0).
 */
public record SessionContext(long position, String startedAt, long msSinceStart, Long msSincePrevious) {
}
