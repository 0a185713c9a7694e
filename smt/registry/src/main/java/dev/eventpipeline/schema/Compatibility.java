package dev.eventpipeline.schema;

import java.util.Locale;

/**
 * Compatibility level checked when a new version of a subject is registered (same names and meaning
 * as Confluent Schema Registry's).
 *
 * <ul>
 *   <li>BACKWARD: the new schema reads every event of the latest version (after the new version's
 *       migration is applied to them, which is what the pipeline does).</li>
 *   <li>FORWARD: the latest version's schema reads every event of the new version.</li>
 *   <li>FULL: both.</li>
 *   <li>*_TRANSITIVE: the same against every earlier version, not only the latest.</li>
 *   <li>NONE: no check.</li>
 * </ul>
 */
public enum Compatibility {
    BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE;

    public static final Compatibility DEFAULT = BACKWARD;

    public boolean backward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    public boolean forward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    public static Compatibility parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SchemaRegistryException(422, "unknown compatibility level '" + text
                    + "'; one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE");
        }
    }
}
