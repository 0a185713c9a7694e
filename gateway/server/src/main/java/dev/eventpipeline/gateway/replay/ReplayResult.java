package dev.eventpipeline.gateway.replay;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What replay did with one dead letter.
 *
 * @param outcome {@code accepted} / {@code duplicate} / {@code invalid} / {@code failed} (the
 *                connector's acknowledgement of the re-injected event), {@code still-invalid} (the
 *                registry's current schemas still reject it: nothing sent), {@code requeued} (put
 *                back on its source topic), {@code not-replayable}, or {@code would-reinject} /
 *                {@code would-requeue} on a dry run
 * @param ack     the connector's acknowledgement, or where the record was put back
 */
public record ReplayResult(int partition, long offset, String eventId, String outcome, String reason, JsonNode ack) {
}
