package dev.eventpipeline.sink.clickhouse.testing;

import dev.eventpipeline.contract.EventHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;

/** Test events and records. */
public final class Events {
    private Events() {
    }

    public static String event(String eventId) {
        return """
                {"eventId":"%s","type":"cart.item_added","schemaVersion":1,"occurredAt":"2026-11-27T08:00:00.123Z",\
                "userId":"u-42","sessionId":"s-7","storeId":"store-1","payload":{"sku":"A-1","quantity":2},\
                "extra":"kept in raw only"}""".formatted(eventId);
    }

    public static SinkRecord record(String topic, int partition, long offset, Object value) {
        return record(topic, partition, offset, value, new ConnectHeaders()
                .addString(EventHeaders.RECEIVED_AT, "1795766401000")
                .addString(EventHeaders.INGEST_TASK, "event-source-0"));
    }

    public static SinkRecord record(String topic, int partition, long offset, Object value, org.apache.kafka.connect.header.Headers headers) {
        return new SinkRecord(topic, partition, null, null, null, value, offset, 1795766402000L,
                TimestampType.CREATE_TIME, headers);
    }
}
