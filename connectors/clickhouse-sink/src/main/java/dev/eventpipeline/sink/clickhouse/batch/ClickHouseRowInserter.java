package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseErrors;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.metrics.SinkMetrics;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.client.ServerCapabilities;
import dev.eventpipeline.sink.clickhouse.config.Identifiers;
import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code INSERT INTO db.table (columns) FORMAT RowBinary} (or {@code FORMAT JSONEachRow}, rows
 * newline-separated) per call.
 * ClickHouse errors become Connect exceptions carrying the table, the batch's offset ranges and
 * ClickHouse's message: transient ones {@link RetriableException} (the worker re-delivers), the rest
 * {@link ConnectException} (the task fails). Also opens streamed INSERTs ({@link StreamedInsert}) with the same
 * statement and settings.
 */
public final class ClickHouseRowInserter implements RowInserter, StreamInserter {
    private static final Logger log = LoggerFactory.getLogger(ClickHouseRowInserter.class);

    private final ClickHouseHttpClient client;
    private final String database;
    private final Supplier<ServerCapabilities> capabilities;
    private final SinkMetrics metrics;
    private final Duration streamOpenFor;

    /**
     * @param capabilities called before every insert; may throw {@link RetriableException} while the
     *                     server cannot be reached (the task sets the schema up lazily)
     */
    public ClickHouseRowInserter(ClickHouseHttpClient client, String database, Supplier<ServerCapabilities> capabilities) {
        this(client, database, capabilities, SinkMetrics.none());
    }

    public ClickHouseRowInserter(ClickHouseHttpClient client, String database, Supplier<ServerCapabilities> capabilities,
                                 SinkMetrics metrics) {
        this(client, database, capabilities, metrics, Duration.ZERO);
    }

    /** @param streamOpenFor the longest a streamed INSERT stays open for rows (batch.max.wait.ms) */
    public ClickHouseRowInserter(ClickHouseHttpClient client, String database, Supplier<ServerCapabilities> capabilities,
                                 SinkMetrics metrics, Duration streamOpenFor) {
        this.streamOpenFor = streamOpenFor;
        this.client = client;
        this.database = database;
        this.capabilities = capabilities;
        this.metrics = metrics;
    }

    /**
     * One INSERT per group of rows with the same encoding and column list (normally one group: every row
     * of a table has the same columns present).
     */
    @Override
    public void insert(String table, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ServerCapabilities server = capabilities.get();
        Map<List<String>, List<Row>> groups = new java.util.IdentityHashMap<>();
        List<Row> json = new java.util.ArrayList<>();
        for (Row row : rows) {
            (row.binary() ? groups.computeIfAbsent(row.columns(), c -> new java.util.ArrayList<>()) : json).add(row);
        }
        if (!json.isEmpty()) {
            insert(server, table, sql(table, null), json, true);
        }
        for (Map.Entry<List<String>, List<Row>> group : groups.entrySet()) {
            insert(server, table, sql(table, group.getKey()), group.getValue(), false);
        }
    }

    private String sql(String table, List<String> columns) {
        if (columns == null) {
            return "INSERT INTO " + Identifiers.qualified(database, table) + " FORMAT JSONEachRow";
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(Identifiers.qualified(database, table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(columns.get(i)));
        }
        return sql.append(") FORMAT RowBinary").toString();
    }

    @Override
    public OpenInsert open(String table, List<String> columns) {
        ServerCapabilities server = capabilities.get();
        return new StreamedInsert(client.openInsert(sql(table, columns), server.insertSettings(), streamOpenFor),
                database + "." + table, columns == null, metrics);
    }

    private void insert(ServerCapabilities server, String table, String sql, List<Row> rows, boolean newlines) {
        long started = System.nanoTime();
        byte[] body = body(rows, newlines);
        try {
            client.insert(sql, server.insertSettings(), body);
        } catch (ClickHouseException e) {
            throw asConnectException("INSERT of " + rows.size() + " rows into " + database + "." + table + " ("
                    + offsetRanges(rows) + ") failed: " + e.getMessage(), e);
        }
        metrics.inserted(rows.size(), body.length, System.nanoTime() - started);
        if (log.isDebugEnabled()) {
            log.debug("inserted {} rows into {}.{} ({}) in {} ms", rows.size(), database, table, offsetRanges(rows),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * A failed INSERT as the worker should see it: retriable (re-delivered), rejected for its data
     * ({@link BadDataException}: split to find the bad rows), or failing the task.
     */
    static ConnectException asConnectException(String message, ClickHouseException e) {
        if (e.retriable()) {
            return new RetriableException(message, e);
        }
        if (ClickHouseErrors.isBadData(e.code())) {
            return new BadDataException(message, e);
        }
        return new ConnectException(message, e);
    }

    /**
     * JSONEachRow rows are newline-separated; RowBinary rows are simply concatenated. One array of the exact
     * size, filled in place (a ByteArrayOutputStream would copy the whole body once more).
     */
    static byte[] body(List<Row> rows, boolean newlines) {
        int size = 0;
        for (Row row : rows) {
            size += row.data().length + (newlines ? 1 : 0);
        }
        byte[] body = new byte[size];
        int at = 0;
        for (Row row : rows) {
            byte[] data = row.data();
            System.arraycopy(data, 0, body, at, data.length);
            at += data.length;
            if (newlines) {
                body[at++] = '\n';
            }
        }
        return body;
    }

    /** {@code cart-events-raw-0 [10..509], cart-events-raw-1 [3..7]}: what a failed batch covered. */
    static String offsetRanges(List<Row> rows) {
        Map<String, long[]> ranges = new LinkedHashMap<>();
        for (Row row : rows) {
            ranges.compute(row.topic() + "-" + row.partition(), (k, r) -> r == null
                    ? new long[]{row.offset(), row.offset()}
                    : new long[]{Math.min(r[0], row.offset()), Math.max(r[1], row.offset())});
        }
        StringBuilder out = new StringBuilder();
        ranges.forEach((tp, r) -> out.append(out.length() == 0 ? "" : ", ")
                .append(tp).append(" offsets ").append(r[0]).append("..").append(r[1]));
        return out.toString();
    }
}
