package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.udfs.lookup.Lookups;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One processor for every query: what it forwards, to which child, in which order, with which key. */
class EnrichProcessorTest {
    static final String ORDER = "{\"eventId\":\"e-9\",\"type\":\"order.completed\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-27T08:05:00Z\","
            + "\"userId\":\"u-1\",\"sessionId\":\"s-1\",\"storeId\":\"store-berlin\",\"payload\":{\"orderId\":\"o-1\",\"total\":99.5,"
            + "\"currency\":\"EUR\"}}";

    String memory;
    DeadLetterCounts counts;
    MockProcessorContext<String, EnrichProcessor.Out> context;
    EnrichProcessor processor;

    @BeforeEach
    void setUp() throws Exception {
        memory = "processor-" + UUID.randomUUID();
        counts = new DeadLetterCounts();
        processor = new EnrichProcessor(new Enricher(FixtureRunner.functionConfig(memory)), counts);
        context = new MockProcessorContext<>();
        context.setRecordMetadata(Topics.VALIDATED, 1, 42);
        processor.init(context);
    }

    @AfterEach
    void drop() {
        Lookups.dropMemory(memory);
    }

    private static Record<String, byte[]> record(String key, String value) {
        return new Record<>(key, value.getBytes(StandardCharsets.UTF_8), 1000L, new RecordHeaders());
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return FixtureRunner.JSON.readTree(bytes);
    }

    @Test
    void aKnownUsersEventGoesToLastSeenEnrichedAndTheStoreRouteWithTheEnrichedBytesSerialisedOnce() throws Exception {
        processor.process(record("s-1", DeadLetterTest.GOOD));

        List<MockProcessorContext.CapturedForward<? extends String, ? extends EnrichProcessor.Out>> out = context.forwarded();
        assertThat(out).extracting(f -> (String) f.record().value().topic())
                .containsExactly(Topics.USER_PROFILE_LAST_SEEN, Topics.ENRICHED, Topics.ROUTE_BY_STORE);
        assertThat(out).allSatisfy(f -> assertThat(f.childName()).contains(EnrichProcessor.TO_TOPICS));
        assertThat(out).extracting(f -> (String) f.record().key()).containsExactly("u-1", "s-1", "store-berlin");
        assertThat(out).extracting(f -> (Long) f.record().timestamp()).containsOnly(1000L);

        assertThat(new String(out.get(0).record().value().bytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"lastSeen\":\"2026-11-27T08:00:00Z\"}");
        JsonNode enriched = json(out.get(1).record().value().bytes());
        assertThat(enriched.get("eventId").asText()).isEqualTo("e-1");
        assertThat(enriched.at("/enrichment/user/purchaseCount").asLong()).isEqualTo(2);
        // from the seeded purchaseHistory: 118 EUR + 50 USD x 0.92, two purchases below the VIP value
        assertThat(enriched.at("/enrichment/user/lifetimeValue").asDouble()).isEqualTo(164.0);
        assertThat(enriched.at("/enrichment/user/segment").asText()).isEqualTo("occasional");
        assertThat(enriched.at("/enrichment/store/localTime").asText()).isEqualTo("2026-11-27T09:00:00+01:00");
        // the route carries the very same bytes: serialised once
        assertThat(out.get(2).record().value().bytes()).isSameAs(out.get(1).record().value().bytes());
        assertThat(counts.total()).isZero();
    }

    @Test
    void anOrderOfAKnownUserAlsoGoesToTheFunnelAndToThePurchasesAggregations() {
        processor.process(record("s-1", ORDER));

        var out = context.forwarded();
        assertThat(out).extracting(f -> (String) f.record().value().topic()).containsExactly(Topics.USER_PROFILE_LAST_SEEN, Topics.ENRICHED,
                Topics.ROUTE_CHECKOUT_FUNNEL, Topics.ROUTE_BY_STORE, null, null);
        var purchase = out.get(4);
        assertThat(purchase.childName()).contains(EnrichProcessor.TO_PURCHASES);
        assertThat(purchase.record().key()).isEqualTo("u-1");
        assertThat(purchase.record().value().occurredAt()).isEqualTo("2026-11-27T08:05:00Z");
        assertThat(purchase.record().value().bytes()).isNull();
        var order = out.get(5);
        assertThat(order.childName()).contains(EnrichProcessor.TO_PURCHASE_HISTORY);
        assertThat(order.record().key()).isEqualTo("u-1");
        assertThat(new String(order.record().value().bytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"orderId\":\"o-1\",\"total\":99.5,\"currency\":\"EUR\"}");
    }

    @Test
    void anAnonymousEventWithoutStoreGoesOnlyToTheEnrichedStream() {
        processor.process(record("s-2", ORDER.replace("\"userId\":\"u-1\",", "").replace("\"storeId\":\"store-berlin\",", "")));

        assertThat(context.forwarded()).extracting(f -> (String) f.record().value().topic())
                .containsExactly(Topics.ENRICHED, Topics.ROUTE_CHECKOUT_FUNNEL);
    }

    @Test
    void anUnreadableRecordIsOnlyDeadLetteredWithItsOriginalBytes() {
        processor.process(record("s-1", "not an event"));

        var out = context.forwarded();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).childName()).contains(EnrichProcessor.TO_TOPICS);
        assertThat(out.get(0).record().value().topic()).isEqualTo(Topics.DLQ);
        assertThat(new String(out.get(0).record().value().bytes(), StandardCharsets.UTF_8)).isEqualTo("not an event");
        assertThat(new String(out.get(0).record().headers().lastHeader(EventHeaders.ERROR_OFFSET).value(), StandardCharsets.UTF_8))
                .isEqualTo("42");
        assertThat(counts.get(EventHeaders.STAGE_ENRICHMENT_READ)).isEqualTo(1);
    }

    @Test
    void theOutSerdeWritesTheBytesAsTheyAre() {
        byte[] bytes = {1, 2, 3};
        assertThat(EnrichProcessor.Out.SERDE.serializer().serialize(Topics.ENRICHED, EnrichProcessor.Out.to(Topics.ENRICHED, bytes)))
                .isSameAs(bytes);
        assertThat(EnrichProcessor.Out.SERDE.serializer().serialize(Topics.ENRICHED, null)).isNull();
    }
}
