package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;

/** Receives a row ClickHouse rejected on its own (after batch splitting). May throw to fail the task. */
@FunctionalInterface
public interface BadRowHandler {
    void badRow(Row row, BadDataException cause);
}
