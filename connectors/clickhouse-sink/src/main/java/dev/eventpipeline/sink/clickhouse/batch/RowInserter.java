package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;

import java.util.List;

/** Writes rows of one table in one INSERT. */
public interface RowInserter {
    /**
     * Returns only once ClickHouse has stored every row.
     *
     * @throws org.apache.kafka.connect.errors.RetriableException if the same INSERT may succeed later
     * @throws org.apache.kafka.connect.errors.ConnectException   if it will not
     */
    void insert(String table, List<Row> rows);
}
