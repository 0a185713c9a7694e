package dev.eventpipeline.gateway.alert;

/** Where an alert's transitions go (log, alerts topic, webhook). */
@FunctionalInterface
public interface AlertPublisher {
    /** Called once when an alert starts firing and once when it resolves; must not throw. */
    void publish(Alert alert);
}
