package dev.eventpipeline.gateway.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.gateway.deadletter.DeadLetter;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayRequestTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ReplayRequest parse(String body) throws Exception {
        return ReplayRequest.parse(JSON.readTree(body));
    }

    static DeadLetter letter(String eventId, int partition, long offset) {
        return new DeadLetter(partition, offset, Instant.EPOCH, "permanent", 0, "r", null, null, null, null, eventId, "t", "{}", Map.of());
    }

    @Test
    void picksByIdAndPositionWithAFilter() throws Exception {
        ReplayRequest r = parse("{\"eventIds\":[\"a\",\"b\"],\"filter\":{\"type\":\"cart.item_added\",\"classification\":\"permanent\"},\"limit\":5,\"dryRun\":true}");
        assertThat(r.dryRun()).isTrue();
        assertThat(r.filter().limit()).isEqualTo(5);
        assertThat(r.filter().type()).contains("cart.item_added");
        assertThat(r.picks(letter("a", 0, 1))).isTrue();
        assertThat(r.picks(letter("c", 0, 1))).isFalse();

        ReplayRequest byRecord = parse("{\"records\":[{\"partition\":0,\"offset\":17}]}");
        assertThat(byRecord.picks(letter("x", 0, 17))).isTrue();
        assertThat(byRecord.picks(letter("x", 1, 17))).isFalse();
        assertThat(parse("{\"filter\":{\"reason\":\"quantity\"}}").picks(letter(null, 0, 1))).isTrue();
    }

    @Test
    void rejectsAnEmptySelectionAndBadFieldsByName() {
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("select what to replay");
        assertThatThrownBy(() -> parse("{\"ids\":[\"a\"]}")).hasMessageContaining("unknown field 'ids'");
        assertThatThrownBy(() -> parse("{\"eventIds\":\"a\"}")).hasMessageContaining("eventIds must be an array");
        assertThatThrownBy(() -> parse("{\"records\":[{\"partition\":\"x\",\"offset\":1}]}")).hasMessageContaining("integer partition and offset");
        assertThatThrownBy(() -> parse("{\"filter\":{\"classification\":\"sometimes\"}}")).hasMessageContaining("classification");
        assertThatThrownBy(() -> parse("{\"eventIds\":[\"a\"],\"limit\":0}")).hasMessageContaining("limit");
        assertThatThrownBy(() -> ReplayRequest.parse(null)).hasMessageContaining("JSON object");
    }
}
