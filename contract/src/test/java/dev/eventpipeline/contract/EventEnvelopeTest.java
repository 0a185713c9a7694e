package dev.eventpipeline.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEnvelopeTest {
    static final String VALID = """
            {"eventId":"e-1","type":"cart.item_added","schemaVersion":1,
             "occurredAt":"2026-11-27T08:00:00.123Z","userId":"u-1","sessionId":"s-1",
             "storeId":"store-1","payload":{"sku":"A","quantity":2}}""";

    static ObjectNode valid() throws JsonProcessingException {
        return (ObjectNode) JsonMapper.get().readTree(VALID);
    }

    @Test
    void parsesEveryField() throws Exception {
        EventEnvelope e = EventEnvelope.parse(valid());
        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.type()).isEqualTo("cart.item_added");
        assertThat(e.schemaVersion()).isEqualTo(1);
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00.123Z"));
        assertThat(e.userId()).isEqualTo("u-1");
        assertThat(e.sessionId()).isEqualTo("s-1");
        assertThat(e.storeId()).isEqualTo("store-1");
        assertThat(e.payload().get("quantity").intValue()).isEqualTo(2);
    }

    @Test
    void userIdMayBeAbsentForAnonymousCarts() throws Exception {
        ObjectNode node = valid();
        node.remove("userId");
        assertThat(EventEnvelope.parse(node).userId()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eventId       | null               | /eventId: is required",
            "eventId       | 42                 | /eventId: must be a string, got number",
            "eventId       | '\"  \"'           | /eventId: must not be blank",
            "type          | null               | /type: is required",
            "schemaVersion | '\"1\"'            | /schemaVersion: must be a positive integer, got string",
            "schemaVersion | 0                  | /schemaVersion: must be a positive integer, got number",
            "schemaVersion | 1.5                | /schemaVersion: must be a positive integer, got number",
            "occurredAt    | '\"yesterday\"'    | /occurredAt: must be an ISO-8601 UTC timestamp such as 2026-11-27T08:00:00.000Z, got \"yesterday\"",
            "occurredAt    | 1700000000         | /occurredAt: must be an ISO-8601 UTC timestamp string, got number",
            "sessionId     | null               | /sessionId: is required",
            "storeId       | true               | /storeId: must be a string, got boolean",
            "payload       | '[]'               | /payload: must be a JSON object, got array",
            "payload       | null               | /payload: must be a JSON object, got null",
    })
    void namesTheFieldAtFault(String field, String json, String reason) throws Exception {
        ObjectNode node = valid();
        JsonNode value = JsonMapper.get().readTree(json);
        if (value.isNull() && !"payload".equals(field)) {
            node.remove(field);
        } else {
            node.set(field, value);
        }
        assertThatThrownBy(() -> EventEnvelope.parse(node))
                .isInstanceOf(InvalidEnvelopeException.class)
                .extracting(t -> ((InvalidEnvelopeException) t).reason())
                .isEqualTo(reason);
    }

    @Test
    void rejectsOverlongIdentifiers() throws Exception {
        ObjectNode node = valid();
        node.put("eventId", "x".repeat(EventEnvelope.MAX_ID_LENGTH + 1));
        assertThatThrownBy(() -> EventEnvelope.parse(node))
                .hasMessageContaining("at most 128");
    }

    @Test
    void rejectsNonObjects() throws Exception {
        assertThatThrownBy(() -> EventEnvelope.parse(JsonMapper.get().readTree("[1]")))
                .hasMessage("event must be a JSON object, got array");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2026-11-27T08:00:00.123Z", "2026-11-27T08:00:00Z",
            "2026-11-27T23:59:59.999999999Z", "2026-11-27T08:00:00.1Z", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00.000Z", "9999-12-31T23:59:59.5Z", "2026-01-31T12:30:45.000123Z"})
    void theFastTimestampPathGivesWhatInstantParseGives(String text) {
        assertThat(EventEnvelope.parseUtcInstant(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T08:60:00Z", "2026-11-27T23:59:60Z",
            "2026-11-27T08:00:00.Z", "2026-11-27T08:00:00.1234567890Z", "2026-11-27 08:00:00Z", "2026-11-27T08:00:00+01:00",
            "2026-11-27t08:00:00z", "+2026-11-27T08:00:00Z", "2026-1-27T08:00:00Z", "２026-11-27T08:00:00Z", "2026-11-27T08:00:0xZ"})
    void anythingElseIsLeftToInstantParse(String text) {
        assertThat(EventEnvelope.parseUtcInstant(text)).isNull();
        ObjectNode node;
        try {
            node = valid();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        node.put("occurredAt", text);
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            assertThatThrownBy(() -> EventEnvelope.parse(node)).hasMessageContaining("ISO-8601");
            return;
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> assertThat(EventEnvelope.parse(node).occurredAt())
                .isEqualTo(expected))).isNull();
    }
}
