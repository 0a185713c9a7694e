package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Buffers rows between {@code put()} calls and writes them in INSERTs of at most
 * {@code maxRows} rows and about {@code maxBytes} bytes per table.
 *
 * <p>Failure handling follows what the Connect worker does next:
 * <ul>
 *   <li>{@link #add}: the buffer plus the new rows are written when they reach {@code maxRows} or
 *       {@code maxBytes}, or the oldest buffered row is {@code maxWait} old. If that fails, the buffer
 *       keeps its old rows and the new rows are <em>not</em> kept: after a {@code RetriableException}
 *       from {@code put()} the worker delivers the same records again. Tables already written before
 *       the failure are written again later; ReplacingMergeTree collapses the copies.</li>
 *   <li>{@link #flush}: called before offsets are committed. If it fails the buffer is emptied: the
 *       worker does not commit and rewinds to the last committed offsets, so every buffered record
 *       comes again.</li>
 *   <li>An INSERT rejected for its data ({@link BadDataException}) is split in halves, recursively,
 *       until the rejected rows are found; the good rows are written, each bad row goes to the
 *       {@link BadRowHandler} (dead-letter queue, or a task failure naming the record).</li>
 * </ul>
 * <p>Pipelined mode ({@code insert.pipelining=true}): a due batch is sent on a background thread
 * while the task maps the next records; at most one INSERT is in flight. {@link #add} does not wait for it:
 * its outcome is collected by the first {@code add} after it finished, or, waiting, when the next batch is
 * due, and always in {@link #flush} (so offsets are still committed only after ClickHouse has the rows).
 * If it failed retriably its rows are kept and written first at the next {@link #add} (until then
 * {@code add} throws the same retriable error and keeps nothing new);
 * rows ClickHouse rejected are handed to the {@link BadRowHandler} on the caller's thread.
 *
 * <p>Not thread-safe; a task calls it from its one thread.
 */
public final class BatchingWriter implements RowWriter {
    private final RowInserter inserter;
    private final int maxRows;
    private final long maxBytes;
    private final long maxWaitMillis;
    private final Clock clock;
    private final BadRowHandler badRows;

    private final java.util.concurrent.ExecutorService background;
    private java.util.concurrent.Future<List<BadRow>> inFlight;
    private List<Row> inFlightRows;
    private List<Row> failed;

    private record BadRow(Row row, BadDataException cause) {
    }

    private List<Row> buffer = new ArrayList<>();
    private long bufferedBytes;
    private long firstBufferedAt;

    public BatchingWriter(RowInserter inserter, int maxRows, Duration maxWait, Clock clock) {
        this(inserter, maxRows, Long.MAX_VALUE, maxWait, clock, (row, cause) -> {
            throw cause;
        });
    }

    public BatchingWriter(RowInserter inserter, int maxRows, long maxBytes, Duration maxWait, Clock clock,
                          BadRowHandler badRows) {
        this(inserter, maxRows, maxBytes, maxWait, clock, badRows, (java.util.concurrent.ExecutorService) null);
    }

    /** A writer that sends INSERTs on a background thread, one in flight (see class comment). */
    public BatchingWriter(RowInserter inserter, int maxRows, long maxBytes, Duration maxWait, Clock clock,
                          BadRowHandler badRows, String threadName) {
        this(inserter, maxRows, maxBytes, maxWait, clock, badRows, java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }));
    }

    private BatchingWriter(RowInserter inserter, int maxRows, long maxBytes, Duration maxWait, Clock clock,
                           BadRowHandler badRows, java.util.concurrent.ExecutorService background) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1");
        }
        this.inserter = inserter;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.maxWaitMillis = maxWait.toMillis();
        this.clock = clock;
        this.badRows = badRows;
        this.background = background;
    }

    /** Adds rows; writes everything buffered when due (see class comment for failures). */
    @Override
    public void add(List<Row> rows) {
        if (inFlight == null || inFlight.isDone()) {
            // an INSERT still running is collected when the next batch is due (dispatch): mapping goes on meanwhile
            retryFailed();
        }
        if (buffer.isEmpty() && rows.isEmpty()) {
            return;
        }
        long now = clock.millis();
        // appended in place (no copy of the buffer per put); taken back out if the write fails
        int kept = buffer.size();
        long since = buffer.isEmpty() ? now : firstBufferedAt;
        buffer.addAll(rows);
        long bytes = bufferedBytes;
        for (Row row : rows) {
            bytes += row.data().length + 1;
        }
        boolean due = buffer.size() >= maxRows || bytes >= maxBytes || now - since >= maxWaitMillis;
        if (!due) {
            bufferedBytes = bytes;
            firstBufferedAt = since;
            return;
        }
        try {
            dispatch(buffer);
        } catch (RuntimeException e) {
            buffer.subList(kept, buffer.size()).clear();
            throw e;
        }
        buffer = new ArrayList<>();
        bufferedBytes = 0;
    }

    private void dispatch(List<Row> rows) {
        if (background == null) {
            write(rows, badRows);
            return;
        }
        awaitInFlight();
        inFlight = background.submit(() -> {
            List<BadRow> bad = new ArrayList<>();
            write(rows, (row, cause) -> bad.add(new BadRow(row, cause)));
            return bad;
        });
        inFlightRows = rows;
    }

    /** The outcome of the background INSERT, if any: rethrows its failure, keeps its rows if retriable. */
    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        java.util.concurrent.Future<List<BadRow>> future = inFlight;
        List<Row> rows = inFlightRows;
        inFlight = null;
        inFlightRows = null;
        List<BadRow> bad;
        try {
            bad = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = rows;
            throw new org.apache.kafka.connect.errors.RetriableException("interrupted while waiting for an INSERT", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.connect.errors.RetriableException retriable) {
                failed = rows;
                throw retriable;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new org.apache.kafka.connect.errors.ConnectException(cause);
        }
        for (BadRow b : bad) {
            badRows.badRow(b.row(), b.cause());
        }
    }

    /** Rows of a failed background INSERT are written before anything else (synchronously). */
    private void retryFailed() {
        awaitInFlight();
        if (failed != null) {
            write(failed, badRows);
            failed = null;
        }
    }

    /**
     * Collects the outcome of the background INSERT if it has finished, without waiting: rows ClickHouse
     * rejected go to the {@link BadRowHandler}; a retriable failure keeps its rows (written first at the next
     * {@link #add}) and is not thrown here.
     */
    @Override
    public void collectFinished() {
        if (inFlight != null && inFlight.isDone()) {
            try {
                awaitInFlight();
            } catch (org.apache.kafka.connect.errors.RetriableException e) {
                // rows kept in failed: not written, so their offsets are not committable
            }
        }
    }

    /**
     * Per partition (as consumed: the record's original topic and partition), the lowest offset of a row not
     * yet acknowledged by ClickHouse: buffered, in flight, or kept from a failed INSERT. A committed offset must
     * not go beyond it.
     */
    @Override
    public Map<TopicPartition, Long> oldestUnwritten() {
        Map<TopicPartition, Long> oldest = new java.util.HashMap<>();
        oldestOf(failed, oldest);
        oldestOf(inFlightRows, oldest);
        oldestOf(buffer, oldest);
        return oldest;
    }

    private static void oldestOf(List<Row> rows, Map<TopicPartition, Long> oldest) {
        if (rows == null) {
            return;
        }
        TopicPartition last = null;
        for (Row row : rows) {
            last = row.consumedPartition(last);
            oldest.merge(last, row.consumedOffset(), Math::min);
        }
    }

    /** Waits for the background INSERT and stops the background thread. */
    @Override
    public void close() {
        if (background != null) {
            background.shutdownNow();
        }
    }

    /** Writes everything buffered; on failure empties the buffer (the worker rewinds) and rethrows. */
    @Override
    public void flush() {
        List<Row> rows = buffer;
        buffer = new ArrayList<>();
        bufferedBytes = 0;
        try {
            retryFailed();
        } catch (RuntimeException e) {
            failed = null; // the worker rewinds to the last committed offsets: these rows come again
            throw e;
        }
        if (!rows.isEmpty()) {
            write(rows, badRows);
        }
    }

    /** Drops buffered rows of partitions this task no longer owns (their records go to the new owner). */
    @Override
    public void discard(Collection<TopicPartition> partitions) {
        Set<String> revoked = partitions.stream().map(tp -> tp.topic() + "\u0000" + tp.partition())
                .collect(Collectors.toSet());
        try {
            awaitInFlight();
        } catch (RuntimeException e) {
            // kept in failed (retriable) or the task fails at its next call anyway
        }
        buffer.removeIf(r -> revoked.contains(r.topic() + "\u0000" + r.partition()));
        if (failed != null) {
            failed = new ArrayList<>(failed);
            failed.removeIf(r -> revoked.contains(r.topic() + "\u0000" + r.partition()));
        }
        bufferedBytes = buffer.stream().mapToLong(r -> r.data().length + 1).sum();
    }

    /** Milliseconds until the buffer is due by age; -1 when empty. */
    @Override
    public long millisUntilDue() {
        if (buffer.isEmpty()) {
            return -1;
        }
        return Math.max(0, firstBufferedAt + maxWaitMillis - clock.millis());
    }

    /** Whether a background INSERT is still running (tests wait for it to end). */
    boolean insertRunning() {
        return inFlight != null && !inFlight.isDone();
    }

    @Override
    public int buffered() {
        return buffer.size();
    }

    private void write(List<Row> rows, BadRowHandler handler) {
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (Row row : rows) {
            byTable.computeIfAbsent(row.table(), t -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Row>> table : byTable.entrySet()) {
            List<Row> all = table.getValue();
            int from = 0;
            while (from < all.size()) {
                int to = from;
                long bytes = 0;
                while (to < all.size() && to - from < maxRows && (to == from || bytes + all.get(to).data().length + 1 <= maxBytes)) {
                    bytes += all.get(to).data().length + 1;
                    to++;
                }
                insertIsolatingBadRows(table.getKey(), all.subList(from, to), handler);
                from = to;
            }
        }
    }

    private void insertIsolatingBadRows(String table, List<Row> rows, BadRowHandler handler) {
        try {
            inserter.insert(table, rows);
        } catch (BadDataException e) {
            if (rows.size() == 1) {
                handler.badRow(rows.get(0), e);
                return;
            }
            int half = rows.size() / 2;
            insertIsolatingBadRows(table, rows.subList(0, half), handler);
            insertIsolatingBadRows(table, rows.subList(half, rows.size()), handler);
        }
    }
}
