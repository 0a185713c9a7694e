package dev.eventpipeline.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonMapperTest {
    @Test
    void rejectsDuplicateKeys() {
        assertThatThrownBy(() -> JsonMapper.get().readTree("{\"eventId\":\"a\",\"eventId\":\"b\"}"))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Duplicate field 'eventId'");
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        String deep = "[".repeat(JsonMapper.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonMapper.MAX_NESTING_DEPTH + 1);
        assertThatThrownBy(() -> JsonMapper.get().readTree(deep))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void acceptsNestingAtTheLimit() throws Exception {
        String ok = "[".repeat(JsonMapper.MAX_NESTING_DEPTH) + "]".repeat(JsonMapper.MAX_NESTING_DEPTH);
        assertThat(JsonMapper.get().readTree(ok).isArray()).isTrue();
    }

    @Test
    void rejectsTrailingGarbage() {
        assertThatThrownBy(() -> JsonMapper.get().readTree("{} {}"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
