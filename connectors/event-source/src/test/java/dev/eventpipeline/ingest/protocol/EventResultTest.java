package dev.eventpipeline.ingest.protocol;

import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.http.EventsHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Status mapping: Connect's report -> ack -> HTTP status of a request. */
class EventResultTest {
    private static final EventResult OK = EventResult.of("a", new Outcome.Accepted("t", 1, 2));
    private static final EventResult DUP = EventResult.of("b", new Outcome.Duplicate());
    private static final EventResult DLQ = EventResult.of("c", new Outcome.Invalid("routed to cart-events-dlq", "cart-events-dlq", 0, 7));
    private static final EventResult BAD = EventResult.invalid("d", "/type: is required", "/type");
    private static final EventResult BIG = EventResult.tooLarge("e", "too big");
    private static final EventResult FULL = EventResult.queueFull("f");
    private static final EventResult STOP = EventResult.failed("g", EventResult.REASON_STOPPING);

    @Test
    void ackJsonShapes() {
        assertThat(OK.toJson()).isEqualTo("{\"eventId\":\"a\",\"status\":\"accepted\",\"topic\":\"t\",\"partition\":1,\"offset\":2}");
        assertThat(DUP.toJson()).isEqualTo("{\"eventId\":\"b\",\"status\":\"duplicate\"}");
        assertThat(DLQ.toJson()).isEqualTo("{\"eventId\":\"c\",\"status\":\"invalid\",\"reason\":\"routed to cart-events-dlq\","
                + "\"topic\":\"cart-events-dlq\",\"partition\":0,\"offset\":7}");
        assertThat(BAD.toJson()).isEqualTo("{\"eventId\":\"d\",\"status\":\"invalid\",\"reason\":\"/type: is required\",\"pointer\":\"/type\"}");
        assertThat(EventResult.failed(null, "quote \" and \n").toJson())
                .isEqualTo("{\"status\":\"failed\",\"reason\":\"quote \\\" and \\n\"}");
        assertThat(FULL.isFinal()).isFalse();
        assertThat(DLQ.isFinal()).isTrue();
    }

    @Test
    void requestStatusFromEventResults() {
        assertThat(EventsHandler.statusFor(new EventResult[]{OK, DUP})).isEqualTo(200);
        assertThat(EventsHandler.statusFor(new EventResult[]{})).isEqualTo(200);
        assertThat(EventsHandler.statusFor(new EventResult[]{OK, DLQ})).isEqualTo(207);
        assertThat(EventsHandler.statusFor(new EventResult[]{OK, FULL})).isEqualTo(207);
        assertThat(EventsHandler.statusFor(new EventResult[]{BAD, DLQ})).isEqualTo(400);
        assertThat(EventsHandler.statusFor(new EventResult[]{BIG})).isEqualTo(413);
        assertThat(EventsHandler.statusFor(new EventResult[]{BIG, BAD})).isEqualTo(400);
        assertThat(EventsHandler.statusFor(new EventResult[]{FULL, FULL})).isEqualTo(429);
        assertThat(EventsHandler.statusFor(new EventResult[]{STOP})).isEqualTo(503);
    }
}
