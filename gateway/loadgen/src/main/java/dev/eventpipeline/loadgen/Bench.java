package dev.eventpipeline.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.ProcessStats;
import dev.eventpipeline.embedded.connect.ConnectWorkerProcess;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The ingestion benchmark, everything on one broker in one run:
 * <ol>
 *   <li>a KRaft broker (this JVM), topics {@code bench-pp} and {@code bench-raw} (2 partitions each);</li>
 *   <li>Kafka's {@code ProducerPerformance} (child JVM) writing {@code --records} events of the same JSON
 *       shape and size the load generator sends, acks=all, linger 5 ms, batch 64 KB, lz4;</li>
 *   <li>a Connect worker (child JVM) with the event-source plugin archive, same producer settings;</li>
 *   <li>the load generator over WebSocket at max rate, then at half that rate (latency), both verified
 *       against Kafka;</li>
 *   <li>the worker's RSS idle, with {@code --idle} idle connections, and with {@code --busy} busy ones.</li>
 * </ol>
 * With {@code --transforms on} the connector runs the shipped transform chain (ValidateEvent against the
 * shipped schemas, DeduplicateEvent on a real Redis, the task's de-duplication pre-mark; see
 * {@link TransformChain}); {@code --transforms-zip} is the transforms' plugin archive.
 * Usage: {@code Bench --plugin-zip connectors/event-source/target/event-source-connector-<v>-plugin.zip
 * [--work DIR] [--records 1000000] [--duration 30] [--concurrency 4] [--batch 100] [--idle 1000] [--busy 200] [--window 2000] [--warmup 10] [--jfr worker.jfr]
 * [--transforms on --transforms-zip smt/transforms/target/event-pipeline-transforms-<v>-plugin.zip]}.
 * Prints a Markdown report on stdout.
 */
public final class Bench {
    private static final Pattern PP_RATE = Pattern.compile("([0-9.]+) records/sec");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path zip = Path.of(o.getOrDefault("plugin-zip", "connectors/event-source/target/event-source-connector-0.1.0-SNAPSHOT-plugin.zip"));
        Path work = Files.createDirectories(Path.of(o.getOrDefault("work", Files.createTempDirectory("bench-ingest").toString())));
        int records = Integer.parseInt(o.getOrDefault("records", "1000000"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "30"));
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "4"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "100"));
        int idleConns = Integer.parseInt(o.getOrDefault("idle", "1000"));
        int busyConns = Integer.parseInt(o.getOrDefault("busy", "200"));
        int window = Integer.parseInt(o.getOrDefault("window", "2000"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "10"));
        String jfr = o.get("jfr");
        boolean transforms = "on".equals(o.getOrDefault("transforms", "off"));
        Path transformsZip = transforms ? Path.of(o.getOrDefault("transforms-zip",
                "smt/transforms/target/event-pipeline-transforms-0.1.0-SNAPSHOT-plugin.zip")) : null;
        PrintStream err = System.err;
        StringBuilder report = new StringBuilder();

        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        report.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; load average before the run: ").append(load).append("\n\n");
        if (transforms) {
            report.append("Connector with the shipped transform chain: ValidateEvent + DeduplicateEvent (Redis) + the task's "
                    + "de-duplication pre-mark; valid events to ").append(TransformChain.VALID_TOPIC).append(".\n\n");
        }

        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort())) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("bench-pp", 2, (short) 1), new NewTopic("bench-raw", 2, (short) 1)))
                        .all().get();
            }
            List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(System.getProperty("path.separator")));

            // 1. ProducerPerformance with comparable records.
            Path payload = work.resolve("payload.txt");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                lines.append(Events.one("pp", i % 64, i)).append('\n');
            }
            Files.writeString(payload, lines);
            int recordBytes = Events.one("pp", 1, 123456).getBytes(StandardCharsets.UTF_8).length;
            err.println("ProducerPerformance: " + records + " records of ~" + recordBytes + " bytes ...");
            List<String> pp = new ArrayList<>(List.of(java(), "-Xmx512m", "-cp", String.join(":", classPath),
                    "org.apache.kafka.tools.ProducerPerformance", "--topic", "bench-pp", "--num-records", Integer.toString(records),
                    "--payload-file", payload.toString(), "--throughput", "-1", "--producer-props",
                    "bootstrap.servers=" + bootstrap, "acks=all", "linger.ms=5", "batch.size=65536", "compression.type=lz4"));
            String ppOut = runAndCapture(pp);
            String ppLast = ppOut.lines().filter(l -> l.contains("records sent")).reduce((a, b) -> b).orElse(ppOut);
            Matcher m = PP_RATE.matcher(ppLast);
            double ppRate = m.find() ? Double.parseDouble(m.group(1)) : 0;
            err.println("ProducerPerformance: " + ppLast);

            // 2. Connect worker with the plugin archive(s).
            Path plugins = Files.createDirectories(work.resolve("plugins"));
            unzip(zip, plugins);
            TransformChain chain = null;
            if (transforms) {
                unzip(transformsZip, plugins);
                chain = TransformChain.start(work, bootstrap);
            }
            int rest = PortCheck.freePort();
            Map<String, String> workerProps = Map.of("producer.linger.ms", "5", "producer.batch.size", "65536",
                    "producer.compression.type", "lz4", "producer.acks", "all", "offset.flush.interval.ms", "10000");
            try (TransformChain closeChain = chain;
                 ConnectWorkerProcess worker = ConnectWorkerProcess.start(bootstrap, "127.0.0.1", rest, plugins, workerProps,
                    classPath, workerJvm(jfr), work.resolve("worker"), Duration.ofSeconds(180))) {
                int port = PortCheck.freePort();
                deploy(worker.restUrl(), port, chain == null ? Map.of() : chain.connectorConfig(plugins, bootstrap));
                String ws = "ws://127.0.0.1:" + port + "/events/stream";
                Thread.sleep(2_000);
                long rssIdle = ProcessStats.rssKib(worker.pid());

                if (warmup > 0) {
                    // A cold worker JVM runs the first seconds interpreted: measured first, WebSocket paid for the
                    // JIT warm-up that HTTP (measured last) did not. Warm both paths up, unrecorded.
                    err.println("Warm-up, not recorded: " + warmup + " s WebSocket + " + warmup + " s HTTP ...");
                    new LoadGen(new LoadGen.Options("ws", ws, 0, batch, warmup, concurrency, window, null, null, 0, false)).run(err);
                    new LoadGen(new LoadGen.Options("http", "http://127.0.0.1:" + port, 0, batch, warmup, concurrency * 2, 2000,
                            null, null, 0, false)).run(err);
                }
                err.println("WebSocket at max rate ...");
                long self = ProcessHandle.current().pid();
                long redisPid = chain == null ? -1 : chain.redisPid();
                double[] cpuBefore = {ProcessStats.cpuSeconds(worker.pid()), ProcessStats.cpuSeconds(self),
                        ProcessStats.cpuSeconds(redisPid)};
                LoadGen.Result max = new LoadGen(new LoadGen.Options("ws", ws, 0, batch, duration, concurrency, window, null,
                        bootstrap, 0, true)).run(err);
                double[] cpuAfter = {ProcessStats.cpuSeconds(worker.pid()), ProcessStats.cpuSeconds(self),
                        ProcessStats.cpuSeconds(redisPid)};
                long half = Math.max(1000, (long) (max.eventsPerSecond() / 2));
                err.println("WebSocket at half rate (" + half + "/s) ...");
                LoadGen.Result halfRate = new LoadGen(new LoadGen.Options("ws", ws, half, batch, duration, concurrency, window,
                        null, bootstrap, 0, true)).run(err);
                err.println("HTTP batches at max rate ...");
                LoadGen.Result http = new LoadGen(new LoadGen.Options("http", "http://127.0.0.1:" + port, 0, batch,
                        Math.max(10, duration / 2), concurrency * 2, 2000, null, bootstrap, 0, true)).run(err);

                err.println(idleConns + " idle connections ...");
                AtomicLong rssPeak = new AtomicLong();
                Thread sampler = sampler(worker.pid(), rssPeak);
                LoadGen.Result idle = new LoadGen(new LoadGen.Options("ws", ws, 100, 1, 15, 1, 2000, null, null,
                        idleConns, true)).run(err);
                long rssIdleConns = rssPeak.get();
                rssPeak.set(0);
                err.println(busyConns + " busy connections ...");
                LoadGen.Result busy = new LoadGen(new LoadGen.Options("ws", ws, Math.max(1000, half), 10, 20, busyConns, 200,
                        null, null, 0, true)).run(err);
                long rssBusy = rssPeak.get();
                sampler.interrupt();
                long rssAfter = ProcessStats.rssKib(worker.pid());

                report.append("| measurement | result |\n| --- | --- |\n");
                report.append(String.format(Locale.ROOT, "| ProducerPerformance (%,d records, %d B JSON, acks=all, lz4, linger 5 ms, 2 partitions) | **%,.0f records/s** |%n",
                        records, recordBytes, ppRate));
                row(report, "connector, WebSocket, max rate (" + concurrency + " connections, frames of " + batch + ")", max);
                report.append(String.format(Locale.ROOT, "| ratio connector WS / ProducerPerformance | **%.2f** |%n",
                        ppRate == 0 ? 0 : max.eventsPerSecond() / ppRate));
                report.append(cpuPerEvent(max, cpuBefore, cpuAfter));
                row(report, "connector, WebSocket, half rate (" + half + "/s target)", halfRate);
                row(report, "connector, HTTP /events/batch, max rate (" + (concurrency * 2) + " threads, batches of " + batch + ")", http);
                report.append(String.format(Locale.ROOT, "| worker RSS: idle / peak with %d idle conns / peak with %d busy conns (%s answered) / after | %,d / %,d / %,d / %,d MiB |%n",
                        idleConns, busyConns, String.format(Locale.ROOT, "%,d", busy.answered()), rssIdle / 1024,
                        rssIdleConns / 1024, rssBusy / 1024, rssAfter / 1024));
                report.append(String.format(Locale.ROOT, "| idle-connection run errors / busy run failed+errors | %d / %d |%n",
                        idle.errors(), busy.failed() + busy.errors()));
                report.append("\nload average after the run: ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
                report.append("\n```\n").append(max.summary()).append(halfRate.summary()).append(http.summary()).append("```\n");
            }
        }
        System.out.println(report);
        System.exit(0);
    }

    /** Worker JVM flags; {@code --jfr FILE} records a flight recording of the worker for profiling. */
    private static List<String> workerJvm(String jfr) {
        List<String> flags = new ArrayList<>(List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC"));
        if (jfr != null) {
            flags.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=" + System.getProperty("jfr.settings", "profile") + ",dumponexit=true");
        }
        return flags;
    }

    private static void row(StringBuilder report, String what, LoadGen.Result r) {
        report.append(String.format(Locale.ROOT,
                "| %s | **%,.0f events/s**; ack p50/p95/p99/max %.1f / %.1f / %.1f / %.1f ms; accepted %,d, failed %,d; verified: %s |%n",
                what, r.eventsPerSecond(), r.p50(), r.p95(), r.p99(), r.max(), r.accepted(), r.failed(),
                r.verification() == null ? "no" : (r.verification().ok() ? "all " + String.format(Locale.ROOT, "%,d", r.verification().found()) + " in Kafka" : "FAILED " + r.verification())));
    }

    /**
     * CPU time per accepted event during the max-rate WebSocket phase (the verification read-back included in
     * the benchmark JVM's share): where the cores went, since on two cores the processes compete.
     */
    private static String cpuPerEvent(LoadGen.Result r, double[] before, double[] after) {
        String[] who = {"worker", "broker + load generator (one JVM)", "Redis"};
        StringBuilder b = new StringBuilder("| CPU per accepted event, WebSocket max-rate phase |");
        String sep = " ";
        for (int i = 0; i < who.length; i++) {
            if (before[i] < 0 || after[i] < 0 || r.accepted() == 0) {
                continue;
            }
            b.append(sep).append(String.format(Locale.ROOT, "%s %.1f µs", who[i], (after[i] - before[i]) * 1e6 / r.accepted()));
            sep = "; ";
        }
        return b.append(" |\n").toString();
    }

    private static Thread sampler(long pid, AtomicLong peak) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ProcessStats.rssKib(pid), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void deploy(String restUrl, int port, Map<String, String> extra) throws Exception {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "dev.eventpipeline.ingest.EventSourceConnector");
        c.put("tasks.max", "1");
        c.put("topic", "bench-raw");
        c.put("listener.host", "127.0.0.1");
        c.put("listener.port", Integer.toString(port));
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("errors.tolerance", "none");
        c.putAll(extra);
        String config = new ObjectMapper().writeValueAsString(c);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(restUrl + "/connectors/bench-source/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() >= 300) {
            throw new IllegalStateException("deploy failed: " + put.body());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (PortCheck.isListening("127.0.0.1", port)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("connector did not start listening on " + port);
    }

    private static String runAndCapture(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        p.waitFor();
        return out.toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry outside target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
    }
}
