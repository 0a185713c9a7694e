package dev.eventpipeline.gateway.deadletter;

import java.time.Instant;
import java.util.Map;

/**
 * One record of {@code cart-events-dlq} as an operator reads it: where it failed, why, whether a
 * retry can help, and the original event.
 *
 * @param classification {@code permanent} (bad data: waits for a human), {@code transient}
 *                       (downstream trouble: retried automatically) or {@code parked} (a transient record
 *                       whose retries ran out: waits for a human)
 * @param retryAttempt   automatic retries this record had before it failed again (0: the first failure)
 * @param sourceTopic    the topic the record failed on, from {@code __connect.errors.topic}
 * @param eventType      the event's {@code type} when the value is a JSON event
 * @param value          the original bytes as UTF-8 text
 * @param headers        every header as text
 */
public record DeadLetter(int partition, long offset, Instant timestamp, String classification, int retryAttempt, String reason,
                         String stage, String exceptionClass, String sourceTopic, String connector,
                         String eventId, String eventType, String value, Map<String, String> headers) {
}
