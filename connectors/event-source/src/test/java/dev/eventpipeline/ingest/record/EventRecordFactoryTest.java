package dev.eventpipeline.ingest.record;

import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.ingest.TestEvents;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRecordFactoryTest {
    private final EventRecordFactory factory = new EventRecordFactory("cart-events-raw", "0.0.0.0:8088", "event-source-0");

    private static ReceivedEvent received(String json, long at) {
        return new ReceivedEvent(TestEvents.envelope(json), json, at, ReceivedEvent.HTTP);
    }

    @Test
    void buildsTheRecordTheContractDescribes() {
        String json = TestEvents.event("evt-1", "session-1");

        SourceRecord record = factory.create(received(json, 1_700_000_000_123L));

        assertThat(record.topic()).isEqualTo("cart-events-raw");
        assertThat(record.kafkaPartition()).isNull();
        assertThat(record.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(record.key()).isEqualTo("session-1");
        assertThat(record.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(record.value()).isSameAs(json);
        assertThat(record.timestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(record.headers().lastWithName(EventHeaders.RECEIVED_AT).value()).isEqualTo("1700000000123");
        assertThat(record.headers().lastWithName(EventHeaders.INGEST_TASK).value()).isEqualTo("event-source-0");
        assertThat(record.headers().lastWithName(EventHeaders.TRANSPORT).value()).isEqualTo("http");
        assertThat(record.headers().size()).isEqualTo(3);
        assertThat(record.sourcePartition()).isEqualTo(Map.of("listener", "0.0.0.0:8088"));
        assertThat(record.sourceOffset()).isEqualTo(Map.of("received.at", 1_700_000_000_123L, "seq", 1L));
    }

    @Test
    void equalEventsGiveUnequalRecords() {
        String json = TestEvents.event("evt-1");
        SourceRecord first = factory.create(received(json, 5));
        SourceRecord second = factory.create(received(json, 5));

        assertThat(first).isNotEqualTo(second);
        assertThat(second.sourceOffset().get("seq")).isEqualTo(2L);
    }

    @Test
    void receivedEventRequiresItsParts() {
        assertThatThrownBy(() -> new ReceivedEvent(null, "{}", 1, ReceivedEvent.HTTP)).isInstanceOf(NullPointerException.class);
        assertThat(factory.topic()).isEqualTo("cart-events-raw");
        assertThat(factory.ingestTask()).isEqualTo("event-source-0");
    }
}
