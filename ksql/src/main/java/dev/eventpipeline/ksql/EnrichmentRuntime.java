package dev.eventpipeline.ksql;

import dev.eventpipeline.udfs.FunctionConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The embedded twin of the ksqlDB deployment: the migrations' queries as one Kafka Streams
 * application, started when no ksqlDB server is configured. Same input and output topics, same
 * UDF classes, same {@code ksql.functions.*} configuration keys.
 *
 * <pre>{@code
 * EnrichmentRuntime runtime = EnrichmentRuntime.start(bootstrap, redisUrl, workDir.resolve("enrichment"));
 * ...
 * runtime.close();
 * }</pre>
 */
public final class EnrichmentRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EnrichmentRuntime.class);
    public static final String APPLICATION_ID = "event-pipeline-enrichment";

    private final KafkaStreams streams;
    private final EnrichmentTopology topology;

    private EnrichmentRuntime(KafkaStreams streams, EnrichmentTopology topology) {
        this.streams = streams;
        this.topology = topology;
    }

    /** The {@code ksql.functions.*} settings of the embedded shape (the same keys a ksqlDB server takes). */
    public static Map<String, Object> functionConfig(String redisUrl) {
        Map<String, Object> config = new HashMap<>();
        if (redisUrl != null) {
            config.put(FunctionConfig.REDIS_URL, redisUrl);
        }
        return config;
    }

    /** Kafka Streams settings of the twin; {@code overrides} win (e.g. num.stream.threads). */
    public static Properties streamsConfig(String bootstrapServers, Path stateDir, Map<String, ?> overrides) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        // each setting and why: ksql/README.md, "Kafka Streams settings of the twin"
        // one thread per core; 2 input partitions = 2 tasks of the main sub-topology, so more threads would idle
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        // at-least-once (ksqlDB's default, unchanged): after a crash the records since the last commit (at most one
        // commit interval) are processed again, so outputs can be duplicated, never lost
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // durability: every output is acknowledged by all in-sync replicas, and retries do not reorder or duplicate
        // within a producer session (both are the producer's defaults; set so that no default change weakens them)
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        // throughput: fewer, larger fetches and produce requests (each input record writes about 4 outputs);
        // at most 50 ms (fetch) + 20 ms (linger) of added latency when the input is idle
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 64 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        p.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, 2000);
        // ksqlDB emits every table update in its test runner; so does the twin (the fixtures expect each purchase update)
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // no compression: the embedded broker shares the machine's cores, and lz4 cost ~9% of the stream
        // threads' CPU (many small batches across the output topics) plus the broker's decompression to
        // validate them; the records are local, the disk is not the limit here. Override for a remote broker.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        if (overrides != null) {
            p.putAll(overrides);
        }
        return p;
    }

    /** Starts the twin against {@code bootstrapServers}, Redis at {@code redisUrl} (null: no lookups). */
    public static EnrichmentRuntime start(String bootstrapServers, String redisUrl, Path stateDir) {
        return start(streamsConfig(bootstrapServers, stateDir, Map.of()), functionConfig(redisUrl));
    }

    /** Environment variable naming a ksqlDB server; when set, the queries run there and the twin stays off. */
    public static final String KSQLDB_URL_ENV = "KSQLDB_URL";

    /**
     * The embedded shape's entry point: starts the twin unless {@code KSQLDB_URL} names a ksqlDB
     * server (then the migrations are applied there with ksql-migrations, see ksql/README.md).
     */
    public static java.util.Optional<EnrichmentRuntime> startUnlessKsqlDb(Map<String, String> env, String bootstrapServers,
                                                                          String redisUrl, Path stateDir) {
        String ksqlDb = env.get(KSQLDB_URL_ENV);
        if (ksqlDb != null && !ksqlDb.isBlank()) {
            log.info("{} is set ({}): enrichment queries run on ksqlDB, the embedded twin is not started", KSQLDB_URL_ENV, ksqlDb);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(start(bootstrapServers, redisUrl, stateDir));
    }

    public static EnrichmentRuntime start(Properties streamsConfig, Map<String, ?> functionConfig) {
        EnrichmentTopology topology = new EnrichmentTopology(functionConfig);
        KafkaStreams streams = new KafkaStreams(topology.build(), streamsConfig);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("enrichment stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        log.info("Embedded enrichment runtime started ({} queries of ksql/migrations)", QueryCatalog.queries().size());
        return new EnrichmentRuntime(streams, topology);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Records sent to the DLQ since start, per stage (also the Streams metric {@code dead-letter-total}). */
    public DeadLetterCounts deadLetters() {
        return topology.deadLetters();
    }

    /** The Kafka Streams metrics, including {@code dead-letter-total}/{@code -rate} (group stream-enrichment-metrics). */
    public Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metrics() {
        return streams.metrics();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
