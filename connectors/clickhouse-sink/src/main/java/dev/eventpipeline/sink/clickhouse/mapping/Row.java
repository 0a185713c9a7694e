package dev.eventpipeline.sink.clickhouse.mapping;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One encoded row: either a JSON object for {@code INSERT ... FORMAT JSONEachRow} ({@code columns == null};
 * UTF-8, no trailing newline) or a {@code RowBinary} row of exactly {@code columns}, in that order (columns
 * with no value are not in the list, so their DEFAULT applies). Also the table it goes to, the Kafka
 * coordinates of its record for error messages and for dropping rows of revoked partitions, and the
 * record itself (for the dead-letter queue; may be null in tests).
 *
 * @param columns the RowBinary column list, shared by every row of the same table with the same columns
 *                present (the inserter groups rows by it); null for JSONEachRow
 */
public record Row(String table, String topic, int partition, long offset, byte[] data, List<String> columns,
                  SinkRecord record) {

    /** A JSONEachRow row. */
    public Row(String table, String topic, int partition, long offset, byte[] json, SinkRecord record) {
        this(table, topic, partition, offset, json, null, record);
    }

    /** A JSONEachRow row without its record (tests). */
    public Row(String table, String topic, int partition, long offset, byte[] json) {
        this(table, topic, partition, offset, json, null, null);
    }

    public boolean binary() {
        return columns != null;
    }

    /**
     * The partition the record was consumed from (before any SMT renamed its topic): what offsets are committed
     * and rewound for. {@code last} is returned when it is that partition, so a loop over rows allocates once.
     */
    public TopicPartition consumedPartition(TopicPartition last) {
        String t = record == null ? topic : record.originalTopic();
        int p = record == null ? partition : consumedPartitionNumber(record);
        return last != null && last.partition() == p && last.topic().equals(t) ? last : new TopicPartition(t, p);
    }

    /** The record's offset as consumed (see {@link #consumedPartition}). */
    public long consumedOffset() {
        return record == null ? offset : record.originalKafkaOffset();
    }

    /** The partition a record was consumed from. */
    public static TopicPartition consumedPartition(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), consumedPartitionNumber(record));
    }

    private static int consumedPartitionNumber(SinkRecord record) {
        return record.originalKafkaPartition() == null ? 0 : record.originalKafkaPartition();
    }

    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }

    @Override
    public String toString() {
        return table + " <- " + topic + "-" + partition + "@" + offset + " "
                + (binary() ? data.length + " bytes RowBinary " + columns : new String(data, StandardCharsets.UTF_8));
    }
}
