package dev.eventpipeline.gateway.deadletter;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterQueryTest {
    static DeadLetter letter(String reason, String type, String classification, String at) {
        return new DeadLetter(0, 1, Instant.parse(at), classification, 0, reason, null, null, null, null, "e", type, "{}", Map.of());
    }

    @Test
    void defaultsMatchEverythingWithLimit100() {
        DeadLetterQuery q = DeadLetterQuery.parse(Map.of());
        assertThat(q.limit()).isEqualTo(100);
        assertThat(q.matches(letter(null, null, "permanent", "2026-11-27T08:00:00Z"))).isTrue();
    }

    @Test
    void filtersCombine() {
        DeadLetterQuery q = DeadLetterQuery.parse(Map.of("reason", "REQUIRED", "type", "cart.item_added",
                "classification", "permanent", "since", "2026-11-27T08:00:00Z", "until", "2026-11-27T09:00:00Z"));
        assertThat(q.matches(letter("/payload/sku: required", "cart.item_added", "permanent", "2026-11-27T08:30:00Z"))).isTrue();
        assertThat(q.matches(letter("/payload/sku: required", "cart.viewed", "permanent", "2026-11-27T08:30:00Z"))).isFalse();
        assertThat(q.matches(letter("timeout", "cart.item_added", "permanent", "2026-11-27T08:30:00Z"))).isFalse();
        assertThat(q.matches(letter("/payload/sku: required", "cart.item_added", "transient", "2026-11-27T08:30:00Z"))).isFalse();
        assertThat(q.matches(letter("/payload/sku: required", "cart.item_added", "permanent", "2026-11-27T09:00:00Z"))).isFalse();
        assertThat(q.matches(letter(null, "cart.item_added", "permanent", "2026-11-27T08:30:00Z"))).isFalse();
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> DeadLetterQuery.parse(Map.of("limit", "0"))).hasMessage("limit must be an integer 1..1000, got '0'");
        assertThatThrownBy(() -> DeadLetterQuery.parse(Map.of("limit", "x"))).hasMessageContaining("limit");
        assertThatThrownBy(() -> DeadLetterQuery.parse(Map.of("since", "yesterday"))).hasMessageContaining("since must be an ISO-8601 instant");
        assertThatThrownBy(() -> DeadLetterQuery.parse(Map.of("classification", "maybe"))).hasMessageContaining("classification");
        assertThatThrownBy(() -> DeadLetterQuery.parse(Map.of("color", "red"))).hasMessageContaining("unknown parameter 'color'");
    }
}
