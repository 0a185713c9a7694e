package dev.eventpipeline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The event envelope every client sends (DESIGN.md, "Event envelope").
 *
 * <pre>{@code
 * {"eventId":"0f6c...", "type":"cart.item_added", "schemaVersion":1,
 *  "occurredAt":"2026-11-27T08:00:00.123Z", "userId":"u-42", "sessionId":"s-7",
 *  "storeId":"store-1", "payload":{...}}
 * }</pre>
 *
 * {@code eventId} is chosen by the client and is the idempotency key; {@code userId} may be null
 * for anonymous carts; {@code payload} is validated later against the registry schema for
 * ({@code type}, {@code schemaVersion}).
 */
public record EventEnvelope(
        String eventId,
        String type,
        int schemaVersion,
        Instant occurredAt,
        String userId,
        String sessionId,
        String storeId,
        JsonNode payload) {

    public static final String EVENT_ID = "eventId";
    public static final String TYPE = "type";
    public static final String SCHEMA_VERSION = "schemaVersion";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String USER_ID = "userId";
    public static final String SESSION_ID = "sessionId";
    public static final String STORE_ID = "storeId";
    public static final String PAYLOAD = "payload";

    /** Longest accepted identifier (eventId, userId, sessionId, storeId, type). */
    public static final int MAX_ID_LENGTH = 128;

    /**
     * Reads and checks the envelope of one event.
     *
     * @throws InvalidEnvelopeException naming the first field that is missing or of the wrong type
     */
    public static EventEnvelope parse(JsonNode event) throws InvalidEnvelopeException {
        if (event == null || !event.isObject()) {
            throw new InvalidEnvelopeException("", "event must be a JSON object, got " + describe(event));
        }
        ObjectNode node = (ObjectNode) event;
        String eventId = requiredId(node, EVENT_ID);
        String type = requiredId(node, TYPE);
        int schemaVersion = requiredVersion(node);
        Instant occurredAt = requiredInstant(node);
        String userId = optionalId(node, USER_ID);
        String sessionId = requiredId(node, SESSION_ID);
        String storeId = requiredId(node, STORE_ID);
        JsonNode payload = node.get(PAYLOAD);
        if (payload == null || !payload.isObject()) {
            throw new InvalidEnvelopeException("/" + PAYLOAD, "must be a JSON object, got " + describe(payload));
        }
        return new EventEnvelope(eventId, type, schemaVersion, occurredAt, userId, sessionId, storeId, payload);
    }

    private static String requiredId(ObjectNode node, String field) throws InvalidEnvelopeException {
        String value = optionalId(node, field);
        if (value == null) {
            throw new InvalidEnvelopeException("/" + field, "is required");
        }
        return value;
    }

    private static String optionalId(ObjectNode node, String field) throws InvalidEnvelopeException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidEnvelopeException("/" + field, "must be a string, got " + describe(value));
        }
        String text = value.textValue();
        if (text.isBlank()) {
            throw new InvalidEnvelopeException("/" + field, "must not be blank");
        }
        if (text.length() > MAX_ID_LENGTH) {
            throw new InvalidEnvelopeException("/" + field,
                    "is " + text.length() + " characters, at most " + MAX_ID_LENGTH + " allowed");
        }
        return text;
    }

    private static int requiredVersion(ObjectNode node) throws InvalidEnvelopeException {
        JsonNode value = node.get(SCHEMA_VERSION);
        if (value == null || value.isNull()) {
            throw new InvalidEnvelopeException("/" + SCHEMA_VERSION, "is required");
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.intValue() < 1) {
            throw new InvalidEnvelopeException("/" + SCHEMA_VERSION,
                    "must be a positive integer, got " + describe(value));
        }
        return value.intValue();
    }

    private static Instant requiredInstant(ObjectNode node) throws InvalidEnvelopeException {
        JsonNode value = node.get(OCCURRED_AT);
        if (value == null || value.isNull()) {
            throw new InvalidEnvelopeException("/" + OCCURRED_AT, "is required");
        }
        if (!value.isTextual()) {
            throw new InvalidEnvelopeException("/" + OCCURRED_AT,
                    "must be an ISO-8601 UTC timestamp string, got " + describe(value));
        }
        try {
            Instant fast = parseUtcInstant(value.textValue());
            return fast != null ? fast : Instant.parse(value.textValue());
        } catch (DateTimeParseException e) {
            throw new InvalidEnvelopeException("/" + OCCURRED_AT,
                    "must be an ISO-8601 UTC timestamp such as 2026-11-27T08:00:00.000Z, got \""
                            + abbreviate(value.textValue()) + "\"");
        }
    }

    /** {@link IsoInstants#parseCommonShape}: null when {@link Instant#parse} must decide. */
    static Instant parseUtcInstant(String s) {
        return IsoInstants.parseCommonShape(s);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
