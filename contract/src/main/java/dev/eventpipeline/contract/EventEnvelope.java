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

    /**
     * {@link Instant#parse} for the shape clients send, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, without
     * the formatter machinery (it is a sizeable part of an event's validation cost). Null for anything
     * else, including invalid dates and leap seconds: the caller then asks {@link Instant#parse}, so the
     * accepted set and the results are exactly {@link Instant#parse}'s.
     */
    static Instant parseUtcInstant(String s) {
        int len = s.length();
        if (len < 20 || len > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(len - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (len > 20) {
            if (s.charAt(19) != '.' || len == 21) {
                return null;
            }
            int fraction = digits(s, 20, len - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = len - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        if (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code s[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
