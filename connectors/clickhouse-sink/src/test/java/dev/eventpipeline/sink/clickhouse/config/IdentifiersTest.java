package dev.eventpipeline.sink.clickhouse.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifiersTest {

    @Test
    void acceptsPlainIdentifiersOnly() {
        assertThat(Identifiers.isValid("events_raw")).isTrue();
        assertThat(Identifiers.isValid("_x1")).isTrue();
        assertThat(Identifiers.isValid("1x")).isFalse();
        assertThat(Identifiers.isValid("a-b")).isFalse();
        assertThat(Identifiers.isValid("a`b")).isFalse();
        assertThat(Identifiers.isValid("")).isFalse();
        assertThat(Identifiers.isValid(null)).isFalse();
        assertThat(Identifiers.isValid("a".repeat(65))).isFalse();
    }

    @Test
    void quotesWithBackticks() {
        assertThat(Identifiers.qualified("event_pipeline", "events_raw")).isEqualTo("`event_pipeline`.`events_raw`");
        assertThatThrownBy(() -> Identifiers.quote("x; DROP")).isInstanceOf(IllegalArgumentException.class);
    }
}
