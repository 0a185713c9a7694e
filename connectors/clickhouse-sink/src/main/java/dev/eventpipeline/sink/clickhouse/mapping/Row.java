package dev.eventpipeline.sink.clickhouse.mapping;

import org.apache.kafka.connect.sink.SinkRecord;

import java.nio.charset.StandardCharsets;

/**
 * One row ready for {@code INSERT ... FORMAT JSONEachRow}: the JSON object (UTF-8, no trailing
 * newline), the table it goes to, the Kafka coordinates of its record for error messages and for
 * dropping rows of revoked partitions, and the record itself (for the dead-letter queue; may be null
 * in tests).
 */
public record Row(String table, String topic, int partition, long offset, byte[] json, SinkRecord record) {

    public Row(String table, String topic, int partition, long offset, byte[] json) {
        this(table, topic, partition, offset, json, null);
    }

    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }

    @Override
    public String toString() {
        return table + " <- " + topic + "-" + partition + "@" + offset + " " + new String(json, StandardCharsets.UTF_8);
    }
}
