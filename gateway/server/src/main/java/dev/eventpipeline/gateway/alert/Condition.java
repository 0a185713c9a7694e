package dev.eventpipeline.gateway.alert;

/** A rule's finding at one evaluation: the condition holds for {@code subject}. */
public record Condition(String rule, String subject, String severity, String message) {
    public String id() {
        return rule + ":" + subject;
    }
}
