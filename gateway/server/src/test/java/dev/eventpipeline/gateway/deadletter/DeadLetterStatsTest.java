package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.schema.ErrorHeaders;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterStatsTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    static DeadLetter letter(Instant at, String classification, Map<String, String> headers, String exceptionClass) {
        return new DeadLetter(0, 1, at, classification, 0, "r", "TASK_PUT", exceptionClass, null, null, "e", "t", "{}", headers);
    }

    @Test
    void reasonCodesAreBoundedLabels() {
        assertThat(ReasonCode.of(letter(NOW, "permanent", Map.of(ErrorHeaders.REASON, "x",
                ErrorHeaders.JSON_POINTERS, "[\"/payload/items/3/sku\",\"/userId\"]"), null))).isEqualTo("invalid:/payload/items/*/sku");
        assertThat(ReasonCode.of(letter(NOW, "transient", Map.of(), "java.net.SocketTimeoutException"))).isEqualTo("error:SocketTimeoutException");
        assertThat(ReasonCode.of(letter(NOW, "parked", Map.of(EventHeaders.DLQ_PARKED, "p"), "java.net.SocketTimeoutException"))).isEqualTo("parked");
        assertThat(ReasonCode.of(letter(NOW, "permanent", Map.of(), null))).isEqualTo("error:TASK_PUT");
    }

    @Test
    void countsByClassificationAndReasonAndArrivalsPerWindow() {
        DeadLetterStats stats = new DeadLetterStats(Clock.fixed(NOW, ZoneOffset.UTC));
        Map<String, String> invalid = Map.of(ErrorHeaders.REASON, "x", ErrorHeaders.JSON_POINTERS, "[\"/payload/quantity\"]");
        stats.count(letter(NOW.minusSeconds(10), "permanent", invalid, null));
        stats.count(letter(NOW.minusSeconds(20), "permanent", invalid, null));
        stats.count(letter(NOW.minusSeconds(200), "transient", Map.of(), "java.net.SocketTimeoutException"));
        stats.count(letter(NOW.minus(Duration.ofHours(3)), "transient", Map.of(), "java.net.SocketTimeoutException"));

        DeadLetterStats.Counts c = stats.counts();
        assertThat(c.total()).isEqualTo(4);
        assertThat(c.byClassification()).containsEntry("permanent", 2L).containsEntry("transient", 2L);
        assertThat(c.byReason().get("permanent")).containsEntry("invalid:/payload/quantity", 2L);
        assertThat(c.lastMinute()).isEqualTo(2);
        assertThat(c.last5MinutesPerMinute()).isEqualTo(3 / 5.0);
        assertThat(stats.arrivedWithin(Duration.ofMinutes(30))).isEqualTo(3);
    }
}
