package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.InsertStream;
import dev.eventpipeline.sink.clickhouse.metrics.SinkMetrics;

/**
 * One streamed INSERT as the writer sees it: ClickHouse errors become the Connect exceptions
 * {@link RowInserter#insert} throws (retriable, {@link BadDataException}, or failing the task), and an answered
 * INSERT is counted in the task's metrics.
 */
final class StreamedInsert implements StreamInserter.OpenInsert {
    private static final byte[] NEWLINE = {'\n'};

    private final InsertStream stream;
    private final String table;
    private final boolean newlines;
    private final SinkMetrics metrics;
    private final long started = System.nanoTime();
    private int rows;

    /**
     * @param table    {@code database.table}, for messages
     * @param newlines JSONEachRow: a newline after each row
     */
    StreamedInsert(InsertStream stream, String table, boolean newlines, SinkMetrics metrics) {
        this.stream = stream;
        this.table = table;
        this.newlines = newlines;
        this.metrics = metrics;
    }

    @Override
    public void write(byte[] row) {
        try {
            stream.write(row);
            if (newlines) {
                stream.write(NEWLINE);
            }
        } catch (ClickHouseException e) {
            throw translate(e);
        }
        rows++;
    }

    @Override
    public boolean ready() {
        return stream.ready();
    }

    @Override
    public void finish() {
        try {
            stream.finish();
        } catch (ClickHouseException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean done() {
        return stream.done();
    }

    @Override
    public void await() {
        try {
            stream.await();
        } catch (ClickHouseException e) {
            throw translate(e);
        }
        metrics.inserted(rows, stream.written(), System.nanoTime() - started);
    }

    @Override
    public void abort() {
        stream.abort();
    }

    private RuntimeException translate(ClickHouseException e) {
        return ClickHouseRowInserter.asConnectException(
                "streamed INSERT of " + rows + " rows into " + table + " failed: " + e.getMessage(), e);
    }
}
