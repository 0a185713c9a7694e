package dev.eventpipeline.sink.clickhouse;

import dev.eventpipeline.sink.clickhouse.batch.BadDataException;
import dev.eventpipeline.sink.clickhouse.batch.BatchingWriter;
import dev.eventpipeline.sink.clickhouse.batch.ClickHouseRowInserter;
import dev.eventpipeline.sink.clickhouse.batch.RowWriter;
import dev.eventpipeline.sink.clickhouse.batch.StreamingWriter;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.client.ServerCapabilities;
import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;
import dev.eventpipeline.sink.clickhouse.mapping.Row;
import dev.eventpipeline.sink.clickhouse.mapping.RowMapper;
import dev.eventpipeline.sink.clickhouse.metrics.SinkMetrics;
import dev.eventpipeline.sink.clickhouse.schema.RetentionJob;
import dev.eventpipeline.sink.clickhouse.schema.SchemaMigrations;
import dev.eventpipeline.sink.clickhouse.schema.TableColumns;
import dev.eventpipeline.sink.clickhouse.schema.TableSchemas;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Maps records to rows, buffers them and INSERTs them into ClickHouse. Offsets are committed only
 * after the rows are stored: {@link #preCommit} writes the buffer first (or, with
 * {@code offsets.commit.flush=false}, returns per partition only offsets below every row not yet
 * acknowledged by ClickHouse), and waits for the dead-letter writes first.
 *
 * <p>The schema (when {@code schema.apply}) and the server's capabilities are set up at start; if
 * ClickHouse cannot be reached then, the task still starts and sets up before its first INSERT, with
 * connection failures reported as retriable, so a ClickHouse outage never fails the task (until
 * {@code retry.timeout.ms} without a successful write).
 *
 * <p>Bad records (cannot be mapped, or rejected by ClickHouse on their own after batch splitting) go
 * to the worker's dead-letter queue through {@link ErrantRecordReporter} when the connector has
 * {@code errors.tolerance=all}; otherwise the task fails with a {@link DataException} naming the
 * record, the column and the value.
 */
public class ClickHouseSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkTask.class);
    static final long DEAD_LETTER_WAIT_SECONDS = 60;

    private final Clock clock;
    private ClickHouseSinkConfig config;
    private ClickHouseHttpClient client;
    private SchemaMigrations schema;
    private TableSchemas tableSchemas;
    private RetentionJob retention;
    private RowMapper mapper;
    private RowWriter writer;
    private SinkMetrics metrics = SinkMetrics.none();
    private ErrantRecordReporter reporter;
    private final List<Future<Void>> pendingDeadLetters = new ArrayList<>();
    private volatile ServerCapabilities capabilities;
    private long nextRetentionRun;
    private int failuresInARow;
    private long failingSince = -1;
    private long deadLettered;

    public ClickHouseSinkTask() {
        this(Clock.systemUTC());
    }

    ClickHouseSinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ClickHouseSinkConfig(props);
        client = ClickHouseHttpClient.of(config);
        schema = config.schemaApply() ? new SchemaMigrations(config.database()) : null;
        tableSchemas = new TableSchemas(client, config.database(), config.schemaRefreshInterval(), clock);
        retention = config.retentionTables().isEmpty() ? null
                : new RetentionJob(client, config.database(), config.retentionTables(), config.retentionMonths(), clock);
        mapper = new RowMapper(config.topicTables(), clock, config.fieldPaths(), config.unknownFields(),
                config.unknownFieldsColumn(), config.insertFormat());
        metrics = SinkMetrics.of(pluginMetrics());
        reporter = errantRecordReporter();
        ClickHouseRowInserter inserter = new ClickHouseRowInserter(client, config.database(), this::ready, metrics,
                config.batchMaxWait());
        writer = config.insertStreaming()
                ? new StreamingWriter(inserter, inserter, config.batchMaxRows(), config.batchMaxBytes(), config.batchMaxWait(),
                        clock, this::badRow, offsets -> context.offset(offsets))
                : config.insertPipelining()
                ? new BatchingWriter(inserter, config.batchMaxRows(), config.batchMaxBytes(), config.batchMaxWait(), clock,
                        this::badRow, "clickhouse-sink-insert-" + props.getOrDefault("task.id", "0"))
                : new BatchingWriter(inserter, config.batchMaxRows(), config.batchMaxBytes(), config.batchMaxWait(), clock,
                        this::badRow);
        if (config.toleratesErrors() && reporter == null) {
            log.warn("errors.tolerance=all but the worker gives no errant record reporter (errors.deadletterqueue."
                    + "topic.name unset?): bad records are logged and skipped");
        }
        try {
            ready();
        } catch (RetriableException e) {
            log.warn("ClickHouse not ready at task start; the schema is applied before the first INSERT: {}",
                    e.getMessage());
        }
        log.info("ClickHouse sink task started: {} database {}, tables {}, batches of up to {} rows, errors.tolerance={}",
                config.url(), config.database(), config.topicTables(), config.batchMaxRows(),
                config.toleratesErrors() ? "all" : "none");
    }

    private PluginMetrics pluginMetrics() {
        try {
            return context == null ? null : context.pluginMetrics();
        } catch (RuntimeException | LinkageError e) {
            log.info("no plugin metrics from this worker ({}); metrics are off", e.toString());
            return null;
        }
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (RuntimeException | LinkageError e) {
            return null; // worker before KIP-610
        }
    }

    /** Applies the schema and detects the server's settings, once. */
    ServerCapabilities ready() {
        ServerCapabilities current = capabilities;
        if (current != null) {
            return current;
        }
        try {
            if (schema != null) {
                schema.apply(client);
            }
            current = ServerCapabilities.detect(client);
        } catch (ClickHouseException e) {
            throw asConnectException("cannot set up ClickHouse at " + config.url(), e);
        }
        if (!current.fillsDefaultsForOmittedFields()) {
            log.warn("{} has neither input_format_defaults_for_omitted_fields nor insert_sample_with_metadata: "
                    + "columns with DEFAULT expressions (inserted_at) get zero values", current);
        }
        log.info("connected to {}", current);
        capabilities = current;
        runRetention(current);
        return current;
    }

    private void runRetention(ServerCapabilities server) {
        if (retention == null || clock.millis() < nextRetentionRun) {
            return;
        }
        nextRetentionRun = clock.millis() + RetentionJob.INTERVAL_MILLIS;
        try {
            retention.run(server.version());
        } catch (ClickHouseException e) {
            log.warn("retention job failed; next try in {} h: {}", RetentionJob.INTERVAL_MILLIS / 3600_000, e.getMessage());
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            List<Row> rows = new ArrayList<>(records.size());
            Map<String, TableColumns> columns = new HashMap<>();
            for (SinkRecord record : records) {
                Row row;
                try {
                    String table = mapper.tableFor(record);
                    TableColumns tableColumns = columns.get(table);
                    if (tableColumns == null) {
                        tableColumns = columnsOf(table);
                        columns.put(table, tableColumns);
                    }
                    row = mapper.map(record, tableColumns);
                } catch (DataException e) {
                    badRecord(record, e);
                    writer.skipped(record);
                    continue;
                }
                rows.add(row);
            }
            writer.add(rows);
            if (capabilities != null) {
                runRetention(capabilities);
            }
            succeeded();
        } catch (RetriableException e) {
            retryLater(records.size(), e);
            throw e;
        }
        long due = writer.millisUntilDue();
        if (due >= 0) {
            // Have the worker call put() again in time even if no record arrives (batch.max.wait.ms).
            context.timeout(Math.max(1, due));
        }
    }

    private TableColumns columnsOf(String table) {
        ready();
        try {
            return tableSchemas.columns(table);
        } catch (ClickHouseException e) {
            throw asConnectException("cannot read the columns of " + config.database() + "." + table, e);
        }
    }

    private void succeeded() {
        failuresInARow = 0;
        failingSince = -1;
    }

    /** Exponential backoff with jitter, bounded by retry.timeout.ms without a successful write. */
    private void retryLater(int records, RetriableException e) {
        metrics.retried();
        long now = clock.millis();
        if (failingSince < 0) {
            failingSince = now;
        }
        failuresInARow++;
        long timeout = config.retryTimeout().toMillis();
        if (timeout > 0 && now - failingSince >= timeout) {
            throw new ConnectException("ClickHouse has failed for " + (now - failingSince) / 1000 + " s (" + failuresInARow
                    + " attempts), longer than " + ClickHouseSinkConfig.RETRY_TIMEOUT_MS + "=" + timeout
                    + "; the task stops with its offsets uncommitted (nothing is lost): restart it when ClickHouse "
                    + "is back. Last error: " + e.getMessage(), e);
        }
        long backoff = backoff(failuresInARow);
        log.warn("{} records not written (attempt {}), the worker re-delivers them in {} ms: {}", records,
                failuresInARow, backoff, e.getMessage());
        context.timeout(backoff);
    }

    long backoff(int attempt) {
        long base = config.retryBackoff().toMillis();
        long max = Math.max(base, config.retryBackoffMax().toMillis());
        long exp = base << Math.min(20, Math.max(0, attempt - 1));
        long capped = Math.min(max, exp < 0 ? max : exp);
        long jitter = capped <= 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 5 + 1);
        return Math.min(max, capped + jitter);
    }

    /** A record that could not become a row. */
    private void badRecord(SinkRecord record, DataException e) {
        deadLetter(record, e);
    }

    /** A row ClickHouse rejected on its own. */
    private void badRow(Row row, BadDataException e) {
        String message = "record " + row.coordinates() + " rejected by ClickHouse for table " + config.database() + "."
                + row.table() + ": " + rootMessage(e);
        if (row.record() == null) {
            throw new DataException(message, e);
        }
        deadLetter(row.record(), new DataException(message, e));
    }

    private void deadLetter(SinkRecord record, DataException e) {
        if (!config.toleratesErrors()) {
            throw e; // fails the task: the message names the record, the column and the value
        }
        deadLettered++;
        metrics.deadLettered();
        if (reporter == null) {
            log.warn("skipping bad record (errors.tolerance=all, no dead-letter queue): {}", e.getMessage());
            return;
        }
        log.debug("bad record to the dead-letter queue: {}", e.getMessage());
        pendingDeadLetters.add(reporter.report(record, e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static ConnectException asConnectException(String what, ClickHouseException e) {
        String message = what + ": " + e.getMessage();
        return e.retriable() ? new RetriableException(message, e) : new ConnectException(message, e);
    }

    /**
     * The offsets the worker may commit. With {@code offsets.commit.flush=true} (default) the buffer is written
     * first and every consumed offset is returned (Connect's default). Otherwise nothing is written here:
     * per partition, the offset returned is the lowest offset of a row not yet acknowledged by ClickHouse
     * (buffered, in flight, or kept from a failed INSERT), or the consumed offset when there is none; the
     * outcome of a finished background INSERT is collected first (its bad rows go to the dead-letter queue) and
     * the dead letters reported so far are awaited. Connect allows a subset: it commits what is returned and
     * keeps the last committed offset of the other partitions, so a committed offset never runs ahead of
     * ClickHouse; the rows still buffered are committed at a later commit, once their batch is written.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (config.commitFlush()) {
            flush(currentOffsets);
        } else {
            writer.collectFinished();
            awaitDeadLetters();
        }
        // after a flush only a streaming writer's pending rewind can hold a partition back
        Map<TopicPartition, Long> unwritten = writer.oldestUnwritten();
        if (unwritten.isEmpty()) {
            return currentOffsets;
        }
        Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>(currentOffsets.size() * 2);
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : currentOffsets.entrySet()) {
            Long oldest = unwritten.get(e.getKey());
            if (oldest == null || oldest >= e.getValue().offset()) {
                committable.put(e.getKey(), e.getValue());
            } else {
                committable.put(e.getKey(), new OffsetAndMetadata(oldest, e.getValue().metadata()));
            }
        }
        return committable;
    }

    /** Writes everything buffered and waits for the dead letters (with {@code offsets.commit.flush=true}, at every commit). */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            writer.flush();
            succeeded();
        } catch (RetriableException e) {
            metrics.retried();
            throw e;
        }
        awaitDeadLetters();
    }

    /** Offsets of bad records are committed only once their dead letters are in Kafka. */
    private void awaitDeadLetters() {
        try {
            for (Future<Void> future : pendingDeadLetters) {
                future.get(DEAD_LETTER_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            pendingDeadLetters.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while waiting for dead-letter writes", e);
        } catch (ExecutionException | TimeoutException e) {
            pendingDeadLetters.clear();
            throw new RetriableException("dead-letter write not confirmed; the records are read again", e);
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (writer != null) {
            writer.discard(partitions);
        }
    }

    @Override
    public void stop() {
        if (writer != null && writer.buffered() > 0) {
            log.info("stopping with {} unwritten rows; their offsets were not committed, they are read again",
                    writer.buffered());
        }
        if (deadLettered > 0) {
            log.info("{} records went to the dead-letter queue during this task's life", deadLettered);
        }
        if (writer != null) {
            writer.close();
        }
        metrics.close();
    }

    int buffered() {
        return writer.buffered();
    }
}
