package dev.eventpipeline.sink.clickhouse.batch;

import java.util.List;

/** Opens INSERTs whose body is written row by row while it is sent ({@code insert.streaming}). */
public interface StreamInserter {
    /**
     * Starts an INSERT into {@code table}.
     *
     * @param columns the RowBinary column list; null for JSONEachRow (rows then newline-separated)
     * @throws org.apache.kafka.connect.errors.RetriableException if ClickHouse cannot be reached now
     */
    OpenInsert open(String table, List<String> columns);

    /** One INSERT being written. Failures are thrown as {@link RowInserter#insert} throws them. */
    interface OpenInsert {
        /** Appends one encoded row; throws once the INSERT has failed. */
        void write(byte[] row);

        /** Whether {@link #write} would take a row now without waiting for ClickHouse to read. */
        boolean ready();

        /** Ends the body; the outcome comes from {@link #await}. */
        void finish();

        /** Whether ClickHouse has answered (or the request failed). */
        boolean done();

        /** Waits for ClickHouse's answer; returns normally only if every row is stored. */
        void await();

        /** Breaks the INSERT off (rows already in written blocks may stay: they come again and collapse). */
        void abort();
    }
}
