package dev.eventpipeline.sink.clickhouse.mapping;

import java.nio.charset.StandardCharsets;

/**
 * One row ready for {@code INSERT ... FORMAT JSONEachRow}: the JSON object (UTF-8, no trailing
 * newline), the table it goes to, and the Kafka coordinates of its record for error messages and
 * for dropping rows of revoked partitions.
 */
public record Row(String table, String topic, int partition, long offset, byte[] json) {

    @Override
    public String toString() {
        return table + " <- " + topic + "-" + partition + "@" + offset + " " + new String(json, StandardCharsets.UTF_8);
    }
}
