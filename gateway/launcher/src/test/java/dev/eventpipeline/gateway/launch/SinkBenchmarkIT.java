package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.embedded.connect.ConnectWorker;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Benchmark, run only with {@code -Dsink.bench=true} (scripts/bench-sink.sh): the same topic of
 * N 300-byte events read (1) by our sink connector (one task, in a real Connect worker) into
 * {@code events_raw} and (2) by ClickHouse's own Kafka table engine + materialized view into a table
 * of the same shape, one after the other in the same run, plus the producer rate as the physical
 * ceiling of this machine. Results go to stdout and {@code target/bench-sink.txt}. The sink runs once per
 * value converter in {@code -Dsink.bench.converters} (default StringConverter, then ByteArrayConverter), each
 * into its own database, from the same topic. The sink's writer settings default to the shipped
 * {@code events_raw} config (streamed INSERTs of up to 1,000,000 rows / 256 MiB / 1 s); the buffered writer is
 * {@code -Dsink.bench.streaming=false -Dsink.bench.batch=50000 -Dsink.bench.batch.bytes=16777216}.
 */
@Tag("integration")
class SinkBenchmarkIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String TOPIC = "bench-events";

    @Test
    void sinkConnectorVersusKafkaEngine() throws Exception {
        assumeTrue(Boolean.getBoolean("sink.bench"), "benchmark: run with -Dsink.bench=true (scripts/bench-sink.sh)");
        int n = Integer.getInteger("sink.bench.events", 1_000_000);
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path work = Files.createTempDirectory(base, "sink-bench");
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka requested exit(" + code + "): " + message);
        });
        Report report = new Report(Path.of("target/bench-sink.txt"));
        Path chDir = work.resolve("clickhouse");
        Files.createDirectories(chDir.resolve("config.d"));
        Files.createDirectories(chDir.resolve("users.d"));
        // librdkafka settings of the Kafka engine; skip nothing: the engine reads each line as one String
        Files.writeString(chDir.resolve("config.d/kafka.xml"), "<yandex><kafka>"
                + "<auto_offset_reset>smallest</auto_offset_reset>"
                + "<max_partition_fetch_bytes>10485760</max_partition_fetch_bytes>"
                + "<fetch_message_max_bytes>10485760</fetch_message_max_bytes>"
                + "</kafka></yandex>");
        ClickHouseServer ch = ClickHouseServer.start(chDir, PortCheck.freePort(), PortCheck.freePort());
        KafkaBroker broker = null;
        ConnectWorker connect = null;
        try {
            int kafkaPort = PortCheck.freePort();
            broker = KafkaBroker.start(work.resolve("kafka"), "127.0.0.1", kafkaPort, PortCheck.freePort());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }

            // 1. the producer: the physical ceiling of this box
            String load0 = load();
            long t0 = System.nanoTime();
            long bytes = produce(broker.bootstrapServers(), n);
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            report.append(String.format("events: %,d, %d bytes average (JSON), 1 partition, ClickHouse %s, data dir %s%n",
                    n, bytes / n, query(ch, "SELECT version()").trim(), chDir));
            report.append(String.format("producer (KafkaProducer, lz4, linger 5 ms): %,.0f rows/s   load before: %s%n",
                    n / produceSeconds, load0));

            // 2. our sink connector, one task
            Path plugins = work.resolve("plugins");
            PluginInstaller.install(Path.of(System.getProperty("pipeline.plugins.dir", "target/plugins")).toAbsolutePath(), plugins);
            // offsets committed as the deployed worker does (compose/connect/connect-distributed.properties: 10 s);
            // the embedded worker's 1 s suits tests, and every commit drains the sink's pipeline (offsets.commit.flush)
            String offsetFlushMs = System.getProperty("sink.bench.offset.flush.ms", "10000");
            connect = ConnectWorker.start(broker.bootstrapServers(), "127.0.0.1", PortCheck.freePort(), plugins,
                    Map.of("offset.flush.interval.ms", offsetFlushMs), Duration.ofSeconds(90));
            // one sink run per value converter (sink.bench.converters), each into its own database
            List<String> converters = List.of(System.getProperty("sink.bench.converters",
                    "org.apache.kafka.connect.storage.StringConverter,org.apache.kafka.connect.converters.ByteArrayConverter")
                    .split(","));
            // the sink's writer settings, default: the shipped events_raw config
            int batchRows = Integer.getInteger("sink.bench.batch", 1_000_000);
            long batchBytes = Long.getLong("sink.bench.batch.bytes", 256L << 20);
            long waitMs = Long.getLong("sink.bench.wait.ms", 1000);
            String pipelining = System.getProperty("sink.bench.pipelining", "true");
            String streaming = System.getProperty("sink.bench.streaming", "true");
            String commitFlush = System.getProperty("sink.bench.commit.flush", "true");
            Timing sink = null;
            List<String> sinkRows = new java.util.ArrayList<>();
            for (int run = 0; run < converters.size(); run++) {
                String converter = converters.get(run).trim();
                String database = run == 0 ? "bench_sink" : "bench_sink_" + run;
                String config = """
                        {"connector.class":"dev.eventpipeline.sink.clickhouse.ClickHouseSinkConnector","tasks.max":"1",
                         "topics":"%s","topics.tables":"%s:events_raw","clickhouse.url":"%s","clickhouse.database":"%s",
                         "key.converter":"%s",
                         "value.converter":"%s",
                         "batch.max.rows":"%s","batch.max.bytes":"%s","batch.max.wait.ms":"%s","retention.tables":"","insert.pipelining":"%s",
                         "insert.streaming":"%s","offsets.commit.flush":"%s",
                         "consumer.override.max.poll.records":"10000",
                         "consumer.override.fetch.max.bytes":"52428800",
                         "consumer.override.max.partition.fetch.bytes":"10485760"}"""
                        .formatted(TOPIC, TOPIC, ch.url(), database, converter, converter,
                                batchRows, batchBytes, waitMs, pipelining, streaming, commitFlush);
                String name = "bench-sink-" + run;
                String loadBefore = load();
                long[] cpu0 = cpu(chDir);
                long s0 = System.nanoTime();
                HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(connect.restUrl() + "/connectors/" + name + "/config"))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
                sink = await(ch, database + ".events_raw", n, s0);
                String cpuSink = cpuPerRow(cpu0, sink.cpuLast(), sink.rows()) + "; " + sink.steadyCpu();
                String loadSink = load();
                report.append(String.format("sink connector (1 task, batch %s rows / " + batchBytes + " bytes / " + waitMs + " ms, insert.pipelining=" + pipelining
                                + ", insert.streaming=" + streaming
                                + ", offsets.commit.flush=" + commitFlush
                                + ", offset.flush.interval.ms=" + offsetFlushMs
                                + ", %s): %,.0f rows/s steady (%,d rows between the first and the last-but-one INSERT), "
                                + "%,.0f rows/s drain including connector start (%.1f s), %s   %s   load before: %s   load after: %s%n",
                        batchRows, converter.substring(converter.lastIndexOf('.') + 1),
                        sink.steadyRate(), sink.steadyRows(), sink.drainRate(), sink.totalSeconds(), sink.visibility(),
                        cpuSink, loadBefore, loadSink));
                HTTP.send(HttpRequest.newBuilder(URI.create(connect.restUrl() + "/connectors/" + name)).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
                sinkRows.add(database + " " + String.format("%,d", sink.rows()) + " (stored "
                        + query(ch, "SELECT count() FROM " + database + ".events_raw").trim() + ", FINAL "
                        + query(ch, "SELECT count() FROM " + database + ".events_raw FINAL").trim() + ")");
            }

            // 3. ClickHouse's Kafka table engine + materialized view into the same table shape
            query(ch, "CREATE DATABASE IF NOT EXISTS bench_engine");
            query(ch, """
                    CREATE TABLE bench_engine.events_raw (event_id String, type String, schema_version UInt32,
                      occurred_at DateTime('UTC'), user_id Nullable(String), session_id String, store_id String,
                      payload String, raw String, status String, received_at DateTime('UTC'), ingest_task String,
                      kafka_topic String, kafka_partition UInt32, kafka_offset UInt64, inserted_at DateTime('UTC') DEFAULT now())
                    ENGINE = ReplacingMergeTree(received_at) PARTITION BY toYYYYMM(occurred_at) ORDER BY event_id""");
            query(ch, "CREATE TABLE bench_engine.queue (raw String) ENGINE = Kafka('" + broker.bootstrapServers() + "', '"
                    + TOPIC + "', 'ch-bench', 'TabSeparated') SETTINGS kafka_row_delimiter = '\\n', kafka_num_consumers = 1, kafka_max_block_size = "
                    + Integer.getInteger("sink.bench.engine.block", 65_536));
            long[] cpuE0 = cpu(chDir);
            long e0 = System.nanoTime();
            query(ch, """
                    CREATE MATERIALIZED VIEW bench_engine.mv TO bench_engine.events_raw AS SELECT
                      visitParamExtractString(raw, 'eventId') AS event_id, visitParamExtractString(raw, 'type') AS type,
                      toUInt32(visitParamExtractUInt(raw, 'schemaVersion')) AS schema_version,
                      parseDateTimeBestEffort(visitParamExtractString(raw, 'occurredAt')) AS occurred_at,
                      toNullable(visitParamExtractString(raw, 'userId')) AS user_id, visitParamExtractString(raw, 'sessionId') AS session_id,
                      visitParamExtractString(raw, 'storeId') AS store_id, visitParamExtractRaw(raw, 'payload') AS payload,
                      raw, 'accepted' AS status, now() AS received_at, '' AS ingest_task, '%s' AS kafka_topic,
                      toUInt32(0) AS kafka_partition, toUInt64(0) AS kafka_offset, now() AS inserted_at
                    FROM bench_engine.queue""".formatted(TOPIC));
            Timing engine = await(ch, "bench_engine.events_raw", n, e0);
            String cpuEngine = cpuPerRow(cpuE0, engine.cpuLast(), engine.rows()) + "; " + engine.steadyCpu();
            String loadEngine = load();
            query(ch, "DROP TABLE bench_engine.mv");
            report.append(String.format("Kafka table engine (1 consumer, block %d): %,.0f rows/s steady (%,d rows between the "
                            + "first and the last-but-one INSERT), %,.0f rows/s drain including start (%.1f s), %s   %s   load after: %s%n",
                    Integer.getInteger("sink.bench.engine.block", 65_536), engine.steadyRate(), engine.steadyRows(),
                    engine.drainRate(), engine.totalSeconds(), engine.visibility(), cpuEngine, loadEngine));
            report.append(String.format("rows that arrived: sink %s; engine %,d of %,d%n", String.join(", ", sinkRows),
                    engine.rows(), n));
            report.append(String.format("rows stored: engine %s (FINAL: %s)%n",
                    query(ch, "SELECT count() FROM bench_engine.events_raw").trim(),
                    query(ch, "SELECT count() FROM bench_engine.events_raw FINAL").trim()));
        } finally {
            if (connect != null) {
                connect.close();
            }
            if (broker != null) {
                broker.close();
            }
            ch.stop();
            PluginInstaller.deleteRecursively(work);
        }
    }

    /** Lines written to stdout and the result file as soon as they are measured. */
    static final class Report {
        private final Path file;

        Report(Path file) throws IOException {
            this.file = file;
            Files.writeString(file, "");
        }

        Report append(String line) throws IOException {
            System.out.print("[sink-bench] " + line);
            Files.writeString(file, line, java.nio.file.StandardOpenOption.APPEND);
            return this;
        }
    }

    /** A change of the table's row count: when, how many rows, the CPU snapshot then. */
    record Change(long at, long rows, long[] cpu) {
    }

    /**
     * How the rows arrived. Rows become visible a whole INSERT at a time, and the Kafka engine squashes its
     * blocks into INSERTs of up to ~1,000,000 rows (min_insert_block_size_rows) and writes the last, partial one
     * only at its flush interval: a rate over "the second half" or "first to last row" then measures where the
     * INSERT boundaries fall. The steady rate is therefore taken between the first and the last-but-one visible
     * INSERT (whole INSERTs only, start-up and the final flush wait left out), for both sides alike.
     */
    record Timing(long start, List<Change> changes, long rows) {
        long lastRow() {
            return changes.get(changes.size() - 1).at();
        }

        long[] cpuLast() {
            return changes.get(changes.size() - 1).cpu();
        }

        /** The end of the steady span: the last-but-one INSERT (the last one when there are only two, or one). */
        private Change steadyEnd() {
            return changes.get(Math.min(changes.size() - 1, Math.max(1, changes.size() - 2)));
        }

        /** Rows per second between the first and the last-but-one INSERT (needs three; else first to last). */
        double steadyRate() {
            Change a = changes.get(0);
            Change b = steadyEnd();
            return (b.rows() - a.rows()) / Math.max(1e-3, (b.at() - a.at()) / 1e9);
        }

        /** CPU per row over the same span as {@link #steadyRate}. */
        String steadyCpu() {
            Change a = changes.get(0);
            Change b = steadyEnd();
            return cpuPerRow(a.cpu(), b.cpu(), b.rows() - a.rows()).replace("CPU per row", "steady");
        }

        /** Rows in the steady span. */
        long steadyRows() {
            return steadyEnd().rows() - changes.get(0).rows();
        }

        /** How the rows became visible: in how many count() changes, the largest one. */
        String visibility() {
            long largest = 0;
            long before = 0;
            for (Change c : changes) {
                largest = Math.max(largest, c.rows() - before);
                before = c.rows();
            }
            return String.format("visible in %d steps, largest %,d rows", changes.size(), largest);
        }

        /** All rows from the start (connector created / view attached) to the last: the backlog's drain rate. */
        double drainRate() {
            return rows / totalSeconds();
        }

        double totalSeconds() {
            return (lastRow() - start) / 1e9;
        }
    }

    static Timing await(ClickHouseServer ch, String table, int n, long start) throws Exception {
        List<Change> changes = new java.util.ArrayList<>();
        long lastCount = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            String out;
            try {
                out = query(ch, "SELECT count() FROM " + table).trim();
            } catch (IOException e) {
                out = "0"; // table not created yet
            }
            long count = out.matches("\\d+") ? Long.parseLong(out) : 0;
            long now = System.nanoTime();
            if (count != lastCount) {
                changes.add(new Change(now, count, cpu(ch.workDir())));
                lastCount = count;
            }
            if (count >= n) {
                return new Timing(start, changes, count);
            }
            if (count > 0 && now - changes.get(changes.size() - 1).at() > Duration.ofSeconds(60).toNanos()) {
                // stalled short of n (the Kafka engine can lose rows): report what arrived, up to the last new row
                return new Timing(start, changes, count);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(table + " did not reach " + n + " rows in 10 minutes");
    }

    static long produce(String bootstrap, int n) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "5");
        p.put("batch.size", "65536");
        p.put("compression.type", "lz4");
        p.put("acks", "all");
        long bytes = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                String value = event(i);
                bytes += value.length();
                producer.send(new ProducerRecord<>(TOPIC, value));
            }
            producer.flush();
        }
        return bytes;
    }

    /** A ~300-byte cart event. */
    static String event(int i) {
        return String.format("{\"eventId\":\"bench-%09d\",\"type\":\"cart.item_added\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"2026-11-27T08:%02d:%02d.%03dZ\",\"userId\":\"user-%06d\",\"sessionId\":\"sess-%08d\","
                + "\"storeId\":\"store-eu-1\",\"payload\":{\"sku\":\"SKU-%05d\",\"quantity\":%d,\"price\":19.99,"
                + "\"currency\":\"EUR\",\"cartId\":\"cart-%08d\",\"source\":\"web\"}}",
                i, (i / 60_000) % 60, (i / 1000) % 60, i % 1000, i % 100_000, i / 20, i % 50_000, 1 + i % 5, i / 20);
    }

    static String query(ClickHouseServer ch, String sql) throws IOException, InterruptedException {
        HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(ch.url() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("ClickHouse: " + resp.body());
        }
        return resp.body();
    }

    /**
     * CPU time (user + system, clock ticks) so far of this JVM (broker, Connect worker, sink task) and of the
     * ClickHouse server: CPU per row does not depend on what else runs on the box, unlike rows/s.
     */
    static long[] cpu(Path chDir) {
        return new long[]{cpuTicks(ProcessHandle.current().pid()), cpuTicks(clickHousePid(chDir))};
    }

    static String cpuPerRow(long[] before, long[] after, long rows) {
        double tickMicros = 1e6 / 100; // USER_HZ
        double jvm = (after[0] - before[0]) * tickMicros / Math.max(1, rows);
        double clickhouse = (after[1] - before[1]) * tickMicros / Math.max(1, rows);
        return String.format("CPU per row: JVM (broker+Connect) %.1f us + ClickHouse %.1f us = %.1f us", jvm, clickhouse,
                jvm + clickhouse);
    }

    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The clickhouse-server whose command line names the benchmark's ClickHouse directory. */
    static long clickHousePid(Path chDir) {
        return CLICKHOUSE_PIDS.computeIfAbsent(chDir, SinkBenchmarkIT::findClickHousePid);
    }

    static final Map<Path, Long> CLICKHOUSE_PIDS = new java.util.concurrent.ConcurrentHashMap<>();

    static long findClickHousePid(Path chDir) {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                    return cmd.contains("clickhouse") && cmd.contains(chDir.toString());
                } catch (IOException e) {
                    return false;
                }
            }).mapToLong(p -> Long.parseLong(p.getFileName().toString())).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
