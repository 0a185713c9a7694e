package dev.eventpipeline.gateway.alert;

import dev.eventpipeline.gateway.status.PipelineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rule findings into alert transitions: a condition seen for the first time fires, a firing
 * alert whose condition is gone resolves by itself. Each transition goes to every publisher once.
 */
public final class AlertManager {
    private static final Logger log = LoggerFactory.getLogger(AlertManager.class);
    private final AlertRules rules;
    private final List<AlertPublisher> publishers;
    private final Clock clock;
    private final Map<String, Alert> firing = new LinkedHashMap<>();

    public AlertManager(AlertRules rules, List<AlertPublisher> publishers, Clock clock) {
        this.rules = rules;
        this.publishers = List.copyOf(publishers);
        this.clock = clock;
    }

    /** Evaluates the rules against {@code status}; returns the transitions it published. */
    public synchronized List<Alert> evaluate(PipelineStatus status) {
        Instant now = clock.instant();
        Map<String, Condition> holding = new LinkedHashMap<>();
        for (Condition c : rules.evaluate(status, now)) {
            holding.putIfAbsent(c.id(), c);
        }
        List<Alert> transitions = new ArrayList<>();
        for (Condition c : holding.values()) {
            Alert current = firing.get(c.id());
            if (current == null) {
                Alert fired = Alert.firing(c, now);
                firing.put(c.id(), fired);
                transitions.add(fired);
            } else if (!current.message().equals(c.message())) {
                // Same alert, new figures: keep it current without a new transition.
                firing.put(c.id(), new Alert(current.id(), current.rule(), current.subject(), current.severity(),
                        Alert.FIRING, c.message(), current.firingSince(), null));
            }
        }
        for (Alert a : List.copyOf(firing.values())) {
            if (!holding.containsKey(a.id())) {
                firing.remove(a.id());
                transitions.add(a.resolved(now));
            }
        }
        for (Alert t : transitions) {
            for (AlertPublisher p : publishers) {
                try {
                    p.publish(t);
                } catch (RuntimeException e) {
                    log.warn("publishing alert {} failed: {}", t.id(), e.toString());
                }
            }
        }
        return transitions;
    }

    /** Alerts firing now, oldest first. */
    public synchronized List<Alert> firing() {
        List<Alert> out = new ArrayList<>(firing.values());
        out.sort(Comparator.comparing(Alert::firingSince));
        return out;
    }
}
