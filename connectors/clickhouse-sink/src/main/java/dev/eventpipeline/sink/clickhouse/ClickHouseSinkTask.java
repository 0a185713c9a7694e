package dev.eventpipeline.sink.clickhouse;

import dev.eventpipeline.sink.clickhouse.batch.BatchingWriter;
import dev.eventpipeline.sink.clickhouse.batch.ClickHouseRowInserter;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.client.ServerCapabilities;
import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;
import dev.eventpipeline.sink.clickhouse.mapping.Row;
import dev.eventpipeline.sink.clickhouse.mapping.RowMapper;
import dev.eventpipeline.sink.clickhouse.schema.SchemaMigrations;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Maps records to rows, buffers them and INSERTs them into ClickHouse. Offsets are committed only
 * after the rows are stored: {@link #flush} (called by the default {@code preCommit}) writes the
 * buffer first.
 *
 * <p>The schema (when {@code schema.apply}) and the server's capabilities are set up at start; if
 * ClickHouse cannot be reached then, the task still starts and sets up before its first INSERT, with
 * connection failures reported as retriable, so a ClickHouse outage never fails the task.
 */
public class ClickHouseSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(ClickHouseSinkTask.class);

    private final Clock clock;
    private ClickHouseSinkConfig config;
    private ClickHouseHttpClient client;
    private SchemaMigrations schema;
    private RowMapper mapper;
    private BatchingWriter writer;
    private volatile ServerCapabilities capabilities;

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
        mapper = new RowMapper(config.topicTables(), clock);
        writer = new BatchingWriter(new ClickHouseRowInserter(client, config.database(), this::ready),
                config.batchMaxRows(), config.batchMaxWait(), clock);
        try {
            ready();
        } catch (RetriableException e) {
            log.warn("ClickHouse not ready at task start; the schema is applied before the first INSERT: {}",
                    e.getMessage());
        }
        log.info("ClickHouse sink task started: {} database {}, tables {}, batches of up to {} rows",
                config.url(), config.database(), config.topicTables(), config.batchMaxRows());
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
            String message = "cannot set up ClickHouse at " + config.url() + ": " + e.getMessage();
            if (e.retriable()) {
                throw new RetriableException(message, e);
            }
            throw new ConnectException(message, e);
        }
        if (!current.fillsDefaultsForOmittedFields()) {
            log.warn("{} has neither input_format_defaults_for_omitted_fields nor insert_sample_with_metadata: "
                    + "columns with DEFAULT expressions (inserted_at) get zero values", current);
        }
        log.info("connected to {}", current);
        capabilities = current;
        return current;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        List<Row> rows = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            rows.add(mapper.map(record));
        }
        try {
            writer.add(rows);
        } catch (RetriableException e) {
            log.warn("{} rows not written, the worker re-delivers them in {} ms: {}", rows.size(),
                    config.retryBackoff().toMillis(), e.getMessage());
            context.timeout(config.retryBackoff().toMillis());
            throw e;
        }
        long due = writer.millisUntilDue();
        if (due >= 0) {
            // Have the worker call put() again in time even if no record arrives (batch.max.wait.ms).
            context.timeout(Math.max(1, due));
        }
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        writer.flush();
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
    }

    int buffered() {
        return writer.buffered();
    }
}
