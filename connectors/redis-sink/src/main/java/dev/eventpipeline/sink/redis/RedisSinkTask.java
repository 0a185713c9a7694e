package dev.eventpipeline.sink.redis;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes each batch to Redis in one pipeline before {@code put} returns, so the offsets Connect
 * commits afterwards are always behind what Redis holds (at-least-once; SET/HSET/HDEL/DEL are
 * idempotent, so redelivery is harmless). Connection failures and timeouts throw
 * {@link RetriableException}: Connect redelivers the same batch after {@code retry.backoff.ms}.
 * A record that cannot be written (no key, a hash-mode value that is not an object) goes to the
 * errant record reporter (the DLQ with {@code errors.tolerance=all}), or fails the task without one.
 */
public class RedisSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(RedisSinkTask.class);

    private final Function<RedisSinkConfig, RedisWriter> writerFactory;
    private RedisWriter writer;
    private RecordMapper mapper;
    private ErrantRecordReporter reporter;

    public RedisSinkTask() {
        this(config -> new JedisWriter(config.url(), config.timeoutMs()));
    }

    RedisSinkTask(Function<RedisSinkConfig, RedisWriter> writerFactory) {
        this.writerFactory = writerFactory;
    }

    @Override
    public void start(Map<String, String> props) {
        RedisSinkConfig config = new RedisSinkConfig(props);
        mapper = new RecordMapper(config.mode(), config.keyPrefix());
        writer = writerFactory.apply(config);
        try {
            reporter = context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null;
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        List<RedisCommand> commands = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            try {
                commands.addAll(mapper.map(record));
            } catch (DataException e) {
                if (reporter == null) {
                    throw new ConnectException("cannot write record " + record.topic() + "-" + record.kafkaPartition()
                            + "@" + record.kafkaOffset() + " to Redis: " + e.getMessage(), e);
                }
                reporter.report(record, e);
            }
        }
        try {
            writer.write(commands);
        } catch (JedisConnectionException e) {
            log.warn("Redis unavailable, the batch of {} records will be retried: {}", records.size(), e.getMessage());
            throw new RetriableException("Redis unavailable: " + e.getMessage(), e);
        } catch (JedisException e) {
            throw new ConnectException("Redis refused the batch: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.close();
        }
    }

    @Override
    public String version() {
        return Version.get();
    }
}
