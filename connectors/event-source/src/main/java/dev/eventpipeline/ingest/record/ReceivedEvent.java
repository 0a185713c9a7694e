package dev.eventpipeline.ingest.record;

import dev.eventpipeline.contract.EventEnvelope;

import java.util.Objects;

/**
 * One event that passed the transport's checks.
 *
 * @param envelope   the checked envelope
 * @param json       the event exactly as the client sent it (after gzip decoding), written to Kafka unchanged
 * @param receivedAt epoch millis at which the request was received
 * @param transport  {@code http} or {@code ws}
 */
public record ReceivedEvent(EventEnvelope envelope, String json, long receivedAt, String transport) {
    public static final String HTTP = "http";
    public static final String WEBSOCKET = "ws";

    public ReceivedEvent {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(transport, "transport");
    }
}
