package dev.eventpipeline.ingest.protocol;

import dev.eventpipeline.ingest.protocol.EventParser.Item;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.eventpipeline.ingest.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventParserTest {
    private final EventParser parser = new EventParser(1024, 5);

    @Test
    void arrayAndWrapperYieldEventsWithTheirOriginalText() throws Exception {
        String a = event("a");
        String b = event("b");
        List<Item> array = parser.parseMany("[ " + a + " ,\n" + b + "]");
        assertThat(array).hasSize(2);
        assertThat(((Item.Valid) array.get(0)).json()).isEqualTo(a);
        assertThat(((Item.Valid) array.get(1)).json()).isEqualTo(b);

        List<Item> wrapped = parser.parseMany("{\"sentAt\":\"x\",\"batch\":[" + a + "," + b + "]}");
        assertThat(wrapped).extracting(i -> ((Item.Valid) i).envelope().eventId()).containsExactly("a", "b");
        assertThat(((Item.Valid) wrapped.get(1)).json()).isEqualTo(b);

        List<Item> single = parser.parseMany(a);
        assertThat(single).hasSize(1);
        assertThat(((Item.Valid) single.get(0)).json()).isEqualTo(a);
        assertThat(parser.parseMany("[]")).isEmpty();
    }

    @Test
    void aBadEventNeverFailsItsNeighbours() throws Exception {
        String missingSession = event("c").replace("\"sessionId\"", "\"sessionIdX\"");
        String big = event("d").replace("SKU-123", "x".repeat(1100));
        String deep = "{\"eventId\":\"e\",\"x\":" + "[".repeat(32) + "]".repeat(32) + "}";
        List<Item> items = parser.parseMany("[" + event("a") + "," + missingSession + ",42," + big + "," + deep + "]");

        assertThat(items.get(0)).isInstanceOf(Item.Valid.class);
        EventResult session = ((Item.Rejected) items.get(1)).result();
        assertThat(session.eventId()).isEqualTo("c");
        assertThat(session.pointer()).isEqualTo("/sessionId");
        assertThat(session.reason()).isEqualTo("/sessionId: is required");
        EventResult scalar = ((Item.Rejected) items.get(2)).result();
        assertThat(scalar.eventId()).isNull();
        assertThat(scalar.reason()).contains("must be a JSON object");
        EventResult tooBig = ((Item.Rejected) items.get(3)).result();
        assertThat(tooBig.tooLarge()).isTrue();
        assertThat(tooBig.reason()).contains("max.event.bytes is 1024");
        EventResult nested = ((Item.Rejected) items.get(4)).result();
        assertThat(nested.eventId()).isEqualTo("e");
        assertThat(nested.reason()).contains("nests deeper than 32");
    }

    @Test
    void wholeRequestRejections() {
        assertThatThrownBy(() -> parser.parseMany("[" + event("a") + ","))
                .isInstanceOf(EventParser.RequestRejected.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> parser.parseMany("[1] [2]")).hasMessageContaining("trailing content");
        assertThatThrownBy(() -> parser.parseMany("\"text\"")).hasMessageContaining("expected an event object");
        assertThatThrownBy(() -> parser.parseMany("{\"batch\":5}")).hasMessageContaining("/batch: must be an array");
        assertThatThrownBy(() -> parser.parseMany("[1,2,3,4,5,6]"))
                .isInstanceOfSatisfying(EventParser.RequestRejected.class, e -> assertThat(e.httpStatus()).isEqualTo(413))
                .hasMessageContaining("max.batch.events is 5");
        assertThatThrownBy(() -> parser.parseMany("  ")).hasMessage("malformed JSON: empty body");
        assertThatThrownBy(() -> parser.parseSingle("[" + event("a") + "]")).hasMessageContaining("one event object");
        assertThatThrownBy(() -> parser.parseMany("{\"a\":1,\"a\":2}")).hasMessageContaining("Duplicate field");
    }

    @Test
    void utf8LengthCountsBytes() {
        assertThat(EventParser.utf8Length("a\u00e9\u2713\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
    }
}
