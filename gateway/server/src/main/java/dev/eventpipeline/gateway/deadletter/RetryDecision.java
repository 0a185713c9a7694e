package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.gateway.config.RetryPolicy;

import java.time.Instant;
import java.util.Optional;

/**
 * What the retrier does with one dead letter: nothing (not transient: bad data waits for a human),
 * park it (budget spent, or nowhere to retry to), or retry it at a due time.
 */
public record RetryDecision(Kind kind, Instant dueAt, String why) {
    public enum Kind { IGNORE, PARK, RETRY }

    public static RetryDecision decide(DeadLetter letter, Optional<String> sourceTopic, RetryPolicy policy) {
        if (!DeadLetterClassifier.TRANSIENT.equals(letter.classification())) {
            return new RetryDecision(Kind.IGNORE, null, letter.classification() + " dead letters are not retried automatically");
        }
        if (sourceTopic.isEmpty()) {
            return new RetryDecision(Kind.PARK, null, "parked: no source topic (__connect.errors.topic) to retry to");
        }
        if (policy.exhausted(letter.retryAttempt())) {
            return new RetryDecision(Kind.PARK, null, "parked: retry budget of " + policy.maxAttempts() + " attempt(s) exhausted");
        }
        return new RetryDecision(Kind.RETRY, letter.timestamp().plus(policy.backoff(letter.retryAttempt())),
                "attempt " + (letter.retryAttempt() + 1) + " of " + policy.maxAttempts());
    }
}
