package dev.eventpipeline.gateway.alert;

import java.time.Instant;

/**
 * One alert: a rule's condition holding for a subject (a dependency, a connector, a consumer group).
 *
 * @param id       {@code rule:subject}, stable while the condition holds: the key of its records on
 *                 the alerts topic
 * @param state    {@code FIRING} or {@code RESOLVED}
 * @param message  what is wrong, in words, with the figures that crossed the threshold
 * @param resolvedAt null while firing
 */
public record Alert(String id, String rule, String subject, String severity, String state, String message,
                    Instant firingSince, Instant resolvedAt) {
    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";

    static Alert firing(Condition c, Instant since) {
        return new Alert(c.id(), c.rule(), c.subject(), c.severity(), FIRING, c.message(), since, null);
    }

    Alert resolved(Instant at) {
        return new Alert(id, rule, subject, severity, RESOLVED, message, firingSince, at);
    }
}
