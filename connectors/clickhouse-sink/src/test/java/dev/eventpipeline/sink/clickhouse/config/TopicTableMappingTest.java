package dev.eventpipeline.sink.clickhouse.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicTableMappingTest {

    @Test
    void parsesEntriesInOrderTrimmingSpaces() {
        TopicTableMapping mapping = TopicTableMapping.parse(List.of(" cart-events-raw : events_raw", "x.y_z:T_2"));

        assertThat(mapping.asMap()).containsExactly(Map.entry("cart-events-raw", "events_raw"), Map.entry("x.y_z", "T_2"));
        assertThat(mapping.tableFor("x.y_z")).contains("T_2");
        assertThat(mapping.tableFor("other")).isEmpty();
    }

    @Test
    void rejectsEmptyList() {
        assertThatThrownBy(() -> TopicTableMapping.parse(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }

    @Test
    void namesTheBadEntry() {
        assertThatThrownBy(() -> TopicTableMapping.parse(List.of("a:t", "b=t")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 'b=t' must have the form topic:table");
    }
}
