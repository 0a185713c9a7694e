package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes rows straight into open INSERTs ({@code insert.streaming=true}): a row goes to ClickHouse as soon
 * as it is mapped, and the JVM keeps no rows, only, per open INSERT, the first and last offset of each
 * partition in it. An INSERT ends when it holds {@code maxRows} rows or {@code maxBytes} bytes, when it is
 * {@code maxWait} old, and at every {@link #flush} (offset commit); ClickHouse then answers while the next
 * INSERT is already being written (at most one ended INSERT per table waits for its answer). Up to
 * {@value #INSERTS_PER_TABLE} INSERTs per table are open at once: ClickHouse stops reading an INSERT while it
 * writes a block of it, and rows go to the other one meanwhile. Big INSERTs cost ClickHouse less per row
 * (fewer, larger parts to merge) without the memory of big buffered batches.
 *
 * <p>Because the rows are not kept, a failed INSERT is recovered by reading its records again: every INSERT
 * not yet acknowledged is aborted, the task's consumer is rewound (through {@code rewind}, i.e.
 * {@code SinkTaskContext.offset}) to the first offset of each partition in them, and a
 * {@link RetriableException} goes to the worker (which backs off and re-delivers). Until the re-read reaches
 * that offset, {@link #oldestUnwritten} holds commits below it. A failure found during an offset commit fails
 * the commit instead, and the worker rewinds to the last committed offsets. Copies written by an aborted INSERT's
 * finished blocks collapse in ReplacingMergeTree. When ClickHouse rejected an INSERT for its data
 * ({@link BadDataException}), the re-read records up to the last offset of that INSERT go through a
 * {@link BatchingWriter} instead, which splits batches to find the bad rows (dead-letter queue) and writes
 * their neighbours.
 *
 * <p>Not thread-safe; a task calls it from its one thread.
 */
public final class StreamingWriter implements RowWriter {
    /** Bounds of the batches that isolate bad rows after a rejected INSERT (kept in memory, split on rejection). */
    static final int ISOLATION_ROWS = 10_000;
    static final long ISOLATION_BYTES = 16L << 20;
    /** Open INSERTs per table: a second takes rows while ClickHouse writes a block of the first. */
    static final int INSERTS_PER_TABLE = 2;

    private final StreamInserter inserter;
    private final int maxRows;
    private final long maxBytes;
    private final long maxWaitMillis;
    private final Clock clock;
    private final BatchingWriter isolation;
    private final Consumer<Map<TopicPartition, Long>> rewind;

    private final List<Insert> open = new ArrayList<>();
    private final List<Insert> finishing = new ArrayList<>();
    /** Per partition, the offset the consumer was rewound to, until the re-read records reach it. */
    private final Map<TopicPartition, Long> rewound = new HashMap<>();
    /** Per partition, the last offset of an INSERT rejected for its data: records up to it are isolated. */
    private final Map<TopicPartition, Long> isolateThrough = new HashMap<>();
    /** Inside an offset commit (flush, collectFinished): a failure is left to the worker's own rewind. */
    private boolean committing;

    /** An INSERT being written, with the first and last consumed offset of each partition in it. */
    private static final class Insert {
        final String table;
        final List<String> columns;
        final StreamInserter.OpenInsert body;
        final long openedAt;
        final Map<TopicPartition, long[]> offsets = new HashMap<>();
        int rows;
        long bytes;

        Insert(String table, List<String> columns, StreamInserter.OpenInsert body, long openedAt) {
            this.table = table;
            this.columns = columns;
            this.body = body;
            this.openedAt = openedAt;
        }
    }

    /**
     * @param isolationInserter writes the batches that isolate bad rows after a rejected INSERT
     * @param badRows           receives each row ClickHouse rejected on its own
     * @param rewind            rewinds the task's consumer ({@code SinkTaskContext::offset})
     */
    public StreamingWriter(StreamInserter inserter, RowInserter isolationInserter, int maxRows, long maxBytes,
                           Duration maxWait, Clock clock, BadRowHandler badRows,
                           Consumer<Map<TopicPartition, Long>> rewind) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1");
        }
        this.inserter = inserter;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.maxWaitMillis = maxWait.toMillis();
        this.clock = clock;
        this.rewind = rewind;
        this.isolation = new BatchingWriter(isolationInserter, Math.min(maxRows, ISOLATION_ROWS),
                Math.min(maxBytes, ISOLATION_BYTES), maxWait, clock, badRows);
    }

    @Override
    public void add(List<Row> rows) {
        collect(false);
        List<Row> isolated = null;
        TopicPartition partition = null;
        for (Row row : rows) {
            partition = row.consumedPartition(partition);
            long offset = row.consumedOffset();
            reached(partition, offset);
            if (!isolateThrough.isEmpty()) {
                Long through = isolateThrough.get(partition);
                if (through != null && offset <= through) {
                    (isolated == null ? isolated = new ArrayList<>() : isolated).add(row);
                    continue;
                }
            }
            Insert insert = route(row);
            try {
                insert.body.write(row.data());
            } catch (RuntimeException e) {
                throw failed(insert, e);
            }
            insert.rows++;
            insert.bytes += row.data().length;
            long[] range = insert.offsets.get(partition);
            if (range == null) {
                insert.offsets.put(partition, new long[]{offset, offset});
            } else {
                range[0] = Math.min(range[0], offset);
                range[1] = Math.max(range[1], offset);
            }
            if (insert.rows >= maxRows || insert.bytes >= maxBytes) {
                finish(insert);
            }
        }
        if (isolated != null) {
            isolation.add(isolated);
        }
        long now = clock.millis();
        for (Insert insert : List.copyOf(open)) {
            if (now - insert.openedAt >= maxWaitMillis) {
                finish(insert);
            }
        }
    }

    /**
     * The open INSERT of the row's table that can take it without waiting; a second one is opened when the first
     * is held up (ClickHouse stops reading an INSERT's body while it writes a block of it as a part), so
     * mapping goes on while ClickHouse writes. An INSERT with other columns (schema drift) is ended first.
     */
    private Insert route(Row row) {
        Insert waiting = null;
        int count = 0;
        for (int i = 0; i < open.size(); i++) {
            Insert candidate = open.get(i);
            if (!candidate.table.equals(row.table())) {
                continue;
            }
            if (candidate.columns != row.columns()) {
                finish(candidate);
                i--;
                continue;
            }
            if (candidate.body.ready()) {
                return candidate;
            }
            if (waiting == null) {
                waiting = candidate;
            }
            count++;
        }
        if (count < INSERTS_PER_TABLE) {
            Insert created = new Insert(row.table(), row.columns(), inserter.open(row.table(), row.columns()), clock.millis());
            open.add(created);
            return created;
        }
        return waiting;
    }

    @Override
    public void skipped(SinkRecord record) {
        reached(Row.consumedPartition(record), record.originalKafkaOffset());
    }

    /** A record at or below a partition's rewind point has come again: from here on, INSERTs track it. */
    private void reached(TopicPartition partition, long offset) {
        if (!rewound.isEmpty()) {
            Long to = rewound.get(partition);
            if (to != null && offset <= to) {
                rewound.remove(partition);
            }
        }
    }

    /**
     * Ends an INSERT's body; waits for the answers to the table's INSERTs ended before it, so at most one per
     * table is unanswered.
     */
    private void finish(Insert insert) {
        open.remove(insert);
        finishing.add(insert);
        try {
            insert.body.finish();
        } catch (RuntimeException e) {
            throw failed(insert, e);
        }
        for (Insert earlier : List.copyOf(finishing)) {
            if (earlier != insert && earlier.table.equals(insert.table)) {
                await(earlier);
            }
        }
    }

    private void await(Insert insert) {
        try {
            insert.body.await();
        } catch (RuntimeException e) {
            throw failed(insert, e);
        }
        finishing.remove(insert);
    }

    /** Collects the answers that have come (all of them, waiting, if {@code wait}). */
    private void collect(boolean wait) {
        for (Insert insert : List.copyOf(finishing)) {
            if (wait || insert.body.done()) {
                await(insert);
            }
        }
    }

    /**
     * An INSERT failed: every unanswered INSERT is aborted and, in {@code put()}, the consumer is rewound to the
     * first offset of each partition in them (or of a row still in the isolation buffer); returns what to throw.
     * During an offset commit there is no rewind of our own: the exception fails {@code preCommit}, and the worker
     * then rewinds to the last committed offsets itself (or, when the partitions are being revoked, leaves them to
     * their next owner; a rewind requested now could then name a partition no longer assigned, which the
     * worker's consumer refuses).
     */
    private RuntimeException failed(Insert failed, RuntimeException e) {
        Map<TopicPartition, Long> from = new HashMap<>(isolation.oldestUnwritten());
        List<Insert> aborted = abortAll();
        if (!aborted.contains(failed)) {
            failed.body.abort();
            aborted.add(failed);
        }
        firstOffsets(aborted, from);
        if (e instanceof BadDataException) {
            failed.offsets.forEach((partition, range) -> isolateThrough.merge(partition, range[1], Math::max));
        } else if (!(e instanceof RetriableException)) {
            return e; // the task fails; nothing unanswered was committed, it is read again after a restart
        }
        String readAgainFrom = committing ? "the last committed offsets" : rewindTo(from).toString();
        return new RetriableException(e.getMessage() + "; " + failed.rows + " rows streamed to " + failed.table + " ("
                + ranges(failed) + ") and every other unanswered INSERT are read again from " + readAgainFrom, e);
    }

    /** Per partition, the lowest first offset of the INSERTs, merged into {@code into}. */
    private static Map<TopicPartition, Long> firstOffsets(Collection<Insert> inserts, Map<TopicPartition, Long> into) {
        for (Insert insert : inserts) {
            insert.offsets.forEach((partition, range) -> into.merge(partition, range[0], Math::min));
        }
        return into;
    }

    /** Rewinds the consumer to {@code from} (or to an earlier rewind point still pending); returns the offsets asked for. */
    private Map<TopicPartition, Long> rewindTo(Map<TopicPartition, Long> from) {
        from.forEach((partition, offset) -> rewound.merge(partition, offset, Math::min));
        Map<TopicPartition, Long> to = new HashMap<>();
        from.keySet().forEach(partition -> to.put(partition, rewound.get(partition)));
        rewind.accept(to);
        return to;
    }

    private static String ranges(Insert insert) {
        StringBuilder out = new StringBuilder();
        insert.offsets.forEach((partition, range) -> out.append(out.length() == 0 ? "" : ", ")
                .append(partition).append(" offsets ").append(range[0]).append("..").append(range[1]));
        return out.toString();
    }

    /** Ends every open INSERT and waits for all answers; a failure fails the offset commit (see {@link #failed}). */
    @Override
    public void flush() {
        committing = true;
        try {
            for (Insert insert : List.copyOf(open)) {
                finish(insert);
            }
            collect(true);
        } catch (RuntimeException e) {
            abortAll();
            throw e;
        } finally {
            committing = false;
        }
        isolation.flush();
    }

    /**
     * Collects the answers that have come; unlike the buffered writer's, a failed INSERT is thrown here (the
     * offset commit fails and the worker rewinds, see {@link #failed}): its rows are not kept to write later.
     */
    @Override
    public void collectFinished() {
        committing = true;
        try {
            collect(false);
        } finally {
            committing = false;
        }
        isolation.collectFinished();
    }

    @Override
    public Map<TopicPartition, Long> oldestUnwritten() {
        Map<TopicPartition, Long> oldest = new HashMap<>(isolation.oldestUnwritten());
        rewound.forEach((partition, offset) -> oldest.merge(partition, offset, Math::min));
        firstOffsets(finishing, oldest);
        return firstOffsets(open, oldest);
    }

    /**
     * Partitions revoked: every unanswered INSERT is aborted; the partitions this task keeps are read again from
     * their first offset in them, the revoked ones are read by their new owner from the committed offsets.
     */
    @Override
    public void discard(Collection<TopicPartition> partitions) {
        Set<TopicPartition> revoked = new HashSet<>(partitions);
        Map<TopicPartition, Long> from = firstOffsets(abortAll(), new HashMap<>());
        from.keySet().removeAll(revoked);
        rewound.keySet().removeAll(revoked);
        isolateThrough.keySet().removeAll(revoked);
        if (!from.isEmpty()) {
            rewindTo(from);
        }
        isolation.discard(partitions);
    }

    /** The INSERTs ClickHouse has not answered yet: ended ones first, then the open ones. */
    private List<Insert> unanswered() {
        List<Insert> all = new ArrayList<>(finishing);
        all.addAll(open);
        return all;
    }

    /** Aborts every unanswered INSERT and forgets it; returns them. */
    private List<Insert> abortAll() {
        List<Insert> all = unanswered();
        for (Insert insert : all) {
            insert.body.abort();
        }
        open.clear();
        finishing.clear();
        return all;
    }

    @Override
    public long millisUntilDue() {
        long due = isolation.millisUntilDue();
        long now = clock.millis();
        for (Insert insert : open) {
            long left = Math.max(0, insert.openedAt + maxWaitMillis - now);
            due = due < 0 ? left : Math.min(due, left);
        }
        return due;
    }

    @Override
    public int buffered() {
        int rows = isolation.buffered();
        for (Insert insert : unanswered()) {
            rows += insert.rows;
        }
        return rows;
    }

    @Override
    public void close() {
        abortAll();
        isolation.close();
    }
}
