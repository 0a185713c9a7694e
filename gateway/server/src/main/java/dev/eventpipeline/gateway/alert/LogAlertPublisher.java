package dev.eventpipeline.gateway.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per transition: WARN when an alert fires, INFO when it resolves. */
public final class LogAlertPublisher implements AlertPublisher {
    private static final Logger log = LoggerFactory.getLogger("dev.eventpipeline.alerts");

    @Override
    public void publish(Alert alert) {
        if (Alert.FIRING.equals(alert.state())) {
            log.warn("ALERT FIRING {} [{}]: {}", alert.id(), alert.severity(), alert.message());
        } else {
            log.info("ALERT RESOLVED {} after {}: {}", alert.id(),
                    java.time.Duration.between(alert.firingSince(), alert.resolvedAt()), alert.message());
        }
    }
}
