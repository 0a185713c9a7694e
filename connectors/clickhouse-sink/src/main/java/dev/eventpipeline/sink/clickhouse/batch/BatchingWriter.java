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
 * {@code maxRows} rows per table.
 *
 * <p>Failure handling follows what the Connect worker does next:
 * <ul>
 *   <li>{@link #add}: the buffer plus the new rows are written when they reach {@code maxRows} or the
 *       oldest buffered row is {@code maxWait} old. If that fails, the buffer keeps its old rows and
 *       the new rows are <em>not</em> kept: after a {@code RetriableException} from {@code put()} the
 *       worker delivers the same records again. Tables already written before the failure are
 *       written again later; ReplacingMergeTree collapses the copies.</li>
 *   <li>{@link #flush}: called before offsets are committed. If it fails the buffer is emptied: the
 *       worker does not commit and rewinds to the last committed offsets, so every buffered record
 *       comes again.</li>
 * </ul>
 * Not thread-safe; a task calls it from its one thread.
 */
public final class BatchingWriter {
    private final RowInserter inserter;
    private final int maxRows;
    private final long maxWaitMillis;
    private final Clock clock;

    private List<Row> buffer = new ArrayList<>();
    private long firstBufferedAt;

    public BatchingWriter(RowInserter inserter, int maxRows, Duration maxWait, Clock clock) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1");
        }
        this.inserter = inserter;
        this.maxRows = maxRows;
        this.maxWaitMillis = maxWait.toMillis();
        this.clock = clock;
    }

    /** Adds rows; writes everything buffered when due (see class comment for failures). */
    public void add(List<Row> rows) {
        if (buffer.isEmpty() && rows.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<Row> combined = new ArrayList<>(buffer.size() + rows.size());
        combined.addAll(buffer);
        combined.addAll(rows);
        long since = buffer.isEmpty() ? now : firstBufferedAt;
        boolean due = combined.size() >= maxRows || now - since >= maxWaitMillis;
        if (!due) {
            buffer = combined;
            firstBufferedAt = since;
            return;
        }
        write(combined);
        buffer = new ArrayList<>();
    }

    /** Writes everything buffered; on failure empties the buffer (the worker rewinds) and rethrows. */
    public void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<Row> rows = buffer;
        buffer = new ArrayList<>();
        write(rows);
    }

    /** Drops buffered rows of partitions this task no longer owns (their records go to the new owner). */
    public void discard(Collection<TopicPartition> partitions) {
        Set<String> revoked = partitions.stream().map(tp -> tp.topic() + "\u0000" + tp.partition())
                .collect(Collectors.toSet());
        buffer.removeIf(r -> revoked.contains(r.topic() + "\u0000" + r.partition()));
    }

    /** Milliseconds until the buffer is due by age; -1 when empty. */
    public long millisUntilDue() {
        if (buffer.isEmpty()) {
            return -1;
        }
        return Math.max(0, firstBufferedAt + maxWaitMillis - clock.millis());
    }

    public int buffered() {
        return buffer.size();
    }

    private void write(List<Row> rows) {
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        for (Row row : rows) {
            byTable.computeIfAbsent(row.table(), t -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<Row>> table : byTable.entrySet()) {
            List<Row> all = table.getValue();
            for (int from = 0; from < all.size(); from += maxRows) {
                inserter.insert(table.getKey(), all.subList(from, Math.min(all.size(), from + maxRows)));
            }
        }
    }
}
