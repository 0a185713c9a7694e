package dev.eventpipeline.gateway.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.schema.ErrorHeaders;

/**
 * A dead letter's reason as a small, bounded label for counting (a Prometheus label must not carry
 * free text or event ids): {@code invalid:<first JSON pointer>} for events the validation transform
 * rejected (e.g. {@code invalid:/payload/quantity}), {@code parked}, else {@code error:<exception
 * class>} or {@code error:<stage>}. The full reason stays on each dead letter.
 */
public final class ReasonCode {
    private ReasonCode() {
    }

    public static String of(DeadLetter letter) {
        if (DeadLetterClassifier.PARKED.equals(letter.classification())) {
            return "parked";
        }
        String pointers = letter.headers().get(ErrorHeaders.JSON_POINTERS);
        if (pointers != null || letter.headers().containsKey(ErrorHeaders.REASON)) {
            return "invalid:" + firstPointer(pointers);
        }
        String exception = letter.exceptionClass();
        if (exception != null && !exception.isBlank()) {
            return "error:" + exception.substring(exception.lastIndexOf('.') + 1);
        }
        return "error:" + (letter.stage() == null ? "unknown" : letter.stage());
    }

    private static String firstPointer(String pointers) {
        if (pointers == null) {
            return "unknown";
        }
        try {
            JsonNode list = JsonMapper.get().readTree(pointers);
            String first = list.path(0).asText("");
            // Array indices vary per event: /payload/items/3/sku counts as /payload/items/*/sku.
            return first.isEmpty() ? "/" : first.replaceAll("/\\d+(?=/|$)", "/*");
        } catch (Exception e) {
            return "unknown";
        }
    }
}
