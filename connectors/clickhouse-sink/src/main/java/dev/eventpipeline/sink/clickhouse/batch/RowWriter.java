package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How a task's rows reach ClickHouse: {@link BatchingWriter} (buffered batches, optionally pipelined) or
 * {@link StreamingWriter} (rows streamed into open INSERTs). Called from the task's one thread.
 */
public interface RowWriter {
    /** Takes rows; writes what is due. */
    void add(List<Row> rows);

    /** A record that became no row (it went to the dead-letter queue): its offset was consumed all the same. */
    default void skipped(SinkRecord record) {
    }

    /** Writes everything taken so far and waits for ClickHouse; on failure nothing is kept and it rethrows. */
    void flush();

    /** Collects the outcome of INSERTs that have finished, without waiting. */
    void collectFinished();

    /**
     * Per partition (as consumed), the lowest offset not yet acknowledged by ClickHouse; a committed offset must
     * not go beyond it.
     */
    Map<TopicPartition, Long> oldestUnwritten();

    /** Forgets rows of partitions this task no longer owns. */
    void discard(Collection<TopicPartition> partitions);

    /** Milliseconds until something is due by age; -1 when nothing waits. */
    long millisUntilDue();

    /** Rows taken and not yet acknowledged. */
    int buffered();

    void close();
}
