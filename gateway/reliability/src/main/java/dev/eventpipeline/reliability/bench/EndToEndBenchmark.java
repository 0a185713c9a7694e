package dev.eventpipeline.reliability.bench;

import dev.eventpipeline.reliability.Args;
import dev.eventpipeline.reliability.load.AckBook;
import dev.eventpipeline.reliability.load.ResilientLoad;
import dev.eventpipeline.reliability.process.ProcessPipeline;
import dev.eventpipeline.reliability.process.WorkDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The end-to-end benchmark ({@code scripts/bench-e2e.sh}): the pipeline as separate processes (so CPU
 * and RSS are per component), Kafka's ProducerPerformance on its broker first, then WebSocket + HTTP
 * load at {@code --rate} for {@code --duration} seconds with validation, de-duplication, enrichment and
 * the ClickHouse sinks on. Prints a Markdown report: sustained events/s per stage, client ack latency,
 * end-to-end latency (send → row visible in ClickHouse), CPU and RSS per process, backlog per stage.
 *
 * <pre>
 * EndToEndBenchmark [--rate 30000] [--duration 300] [--ws 4] [--http 2] [--batch 100] [--pp-records 1000000]
 *                   [--sample-every 100] [--work DIR] [--plugins DIR]
 * </pre>
 */
public final class EndToEndBenchmark {
    /** Samples before this fraction of the sending phase are warm-up and left out of the rates. */
    static final double WARMUP_FRACTION = 0.2;
    /** Seconds of idle sampling before the load starts. */
    static final int IDLE_SECONDS = 10;

    private EndToEndBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int rate = args.integer("rate", 30_000);
        int duration = args.integer("duration", 300);
        int ws = args.integer("ws", 4);
        int http = args.integer("http", 2);
        int batch = args.integer("batch", 100);
        int ppRecords = args.integer("pp-records", 1_000_000);
        WorkDirectory workDirectory = WorkDirectory.of(args, "bench-e2e");
        Path work = workDirectory.path();
        Path plugins = Path.of(args.get("plugins", "gateway/reliability/target/plugins")).toAbsolutePath();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        StringBuilder r = new StringBuilder();
        r.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; load average before: ").append(loadBefore).append("; command: EndToEndBenchmark ")
                .append(String.join(" ", argv)).append("\n\n");
        try (ProcessPipeline pipeline = ProcessPipeline.start(ProcessPipeline.Layout.freePorts(work, plugins))) {
            System.err.println("ProducerPerformance, " + ppRecords + " records ...");
            ProducerPerformanceRun.Result pp = ppRecords > 0
                    ? ProducerPerformanceRun.run(pipeline.layout().bootstrapServers(), ppRecords, ProcessPipeline.componentClassPath(), work)
                    : new ProducerPerformanceRun.Result(0, 0, "not run");
            System.err.println("ProducerPerformance: " + pp.line());

            AckBook book = new AckBook(false, args.integer("sample-every", 100));
            String run = "bench" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
            long rawBefore = rows(pipeline, "events_raw");
            StageSampler sampler = new StageSampler(pipeline, book).start();
            // Idle baseline: what the processes burn with no events (polling, metrics, heartbeats).
            long idleStart = System.currentTimeMillis();
            Thread.sleep(IDLE_SECONDS * 1000L);
            long idleEnd = System.currentTimeMillis();
            EndToEndLatency e2e = new EndToEndLatency(pipeline, book).start();
            long unresolved;
            long sendStart = System.currentTimeMillis();
            long sendEnd;
            long drainedAt = -1;
            try (ResilientLoad load = new ResilientLoad(new ResilientLoad.Options(pipeline.layout().ingestWsUrl(),
                    pipeline.layout().ingestHttpUrl(), ws, http, rate, batch, Math.max(2000, batch * 4)), book, run).start()) {
                for (int s = 1; s <= duration; s++) {
                    Thread.sleep(1000);
                    if (s % 10 == 0 || s == duration) {
                        System.err.printf(Locale.ROOT, "%d/%d s: accepted %,d (%,.0f/s), failed %,d, e2e samples pending %d%n",
                                s, duration, book.accepted(), book.accepted() / (double) s, book.failed(), e2e.pending());
                    }
                }
                sendEnd = System.currentTimeMillis();
                unresolved = load.awaitDrained(Duration.ofSeconds(60));
            }
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline) {
                if (rows(pipeline, "events_raw") - rawBefore >= book.accepted()) {
                    drainedAt = System.currentTimeMillis();
                    break;
                }
                Thread.sleep(250);
            }
            Thread.sleep(1500);
            e2e.close();
            sampler.close();
            report(r, ppRecords, pp, book, e2e, sampler.samples(), idleStart, idleEnd, sendStart, sendEnd, drainedAt, unresolved,
                    rate, duration, ws, http, batch);
        }
        r.append("\nLoad average after: ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
        System.out.print(r);
        workDirectory.finish(true);
    }

    /** Share of one core a process used over the samples. */
    private static double share(List<StageSampler.Sample> samples, String process) {
        StageSampler.Sample a = samples.get(0);
        StageSampler.Sample b = samples.get(samples.size() - 1);
        Double from = a.cpuSeconds().get(process);
        Double to = b.cpuSeconds().get(process);
        if (from == null || to == null || from < 0 || to < 0 || b.millis() == a.millis()) {
            return -1;
        }
        return (to - from) / ((b.millis() - a.millis()) / 1000.0);
    }

    private static long rows(ProcessPipeline p, String table) {
        try {
            return Long.parseLong(p.clickHouse().query("SELECT count() FROM event_pipeline." + table + " FORMAT TabSeparated").trim());
        } catch (Exception e) {
            return -1;
        }
    }

    static void report(StringBuilder r, int ppRecords, ProducerPerformanceRun.Result pp, AckBook book, EndToEndLatency e2e,
                       List<StageSampler.Sample> samples, long idleStart, long idleEnd, long sendStart, long sendEnd, long drainedAt, long unresolved,
                       int rate, int duration, int ws, int http, int batch) {
        List<StageSampler.Sample> sending = samples.stream().filter(s -> s.millis() >= sendStart && s.millis() <= sendEnd).toList();
        long steadyFrom = sendStart + (long) ((sendEnd - sendStart) * WARMUP_FRACTION);
        List<StageSampler.Sample> steady = sending.stream().filter(s -> s.millis() >= steadyFrom).toList();
        r.append("| measurement | result |\n| --- | --- |\n");
        r.append(String.format(Locale.ROOT, "| ProducerPerformance on the same broker (%,d records of %d B, acks=all, lz4, linger 5 ms, batch 64 KB, 2 partitions) | **%,.0f records/s** |%n",
                ppRecords, pp.recordBytes(), pp.recordsPerSecond()));
        r.append(String.format(Locale.ROOT, "| load | target %,d ev/s for %d s: %d WebSocket connections + %d HTTP threads, %d events per frame/request |%n",
                rate, duration, ws, http, batch));
        double sendSeconds = (sendEnd - sendStart) / 1000.0;
        r.append(String.format(Locale.ROOT, "| offered load | %,.0f ev/s produced of %,d ev/s scheduled%s |%n", book.sent() / sendSeconds, rate,
                book.sent() < 0.95 * rate * sendSeconds ? " (the clients' windows stayed full: ingestion pushed back, events waited in the clients)" : ""));
        r.append(String.format(Locale.ROOT, "| client answers | sent %,d, accepted %,d, duplicate %,d, invalid %,d, failed %,d (retried %,d), unresolved %,d |%n",
                book.sent(), book.accepted(), book.duplicate(), book.invalid(), book.failed(), book.retried(), unresolved));
        r.append(String.format(Locale.ROOT, "| client ack latency (send → accepted) | p50 %.1f / p95 %.1f / p99 %.1f / max %.1f ms |%n",
                book.ackLatency().percentileMs(50), book.ackLatency().percentileMs(95), book.ackLatency().percentileMs(99),
                book.ackLatency().maxMs()));
        r.append(String.format(Locale.ROOT, "| end-to-end latency (send → row visible in events_raw; %,d samples, poll %d ms, slowest poll %d ms) | **p50 %.0f / p95 %.0f / p99 %.0f / max %.0f ms** |%n",
                e2e.histogram().count(), EndToEndLatency.POLL_MS, e2e.maxQueryMs(), e2e.histogram().percentileMs(50),
                e2e.histogram().percentileMs(95), e2e.histogram().percentileMs(99), e2e.histogram().maxMs()));
        if (steady.size() >= 2) {
            StageSampler.Sample a = steady.get(0);
            StageSampler.Sample b = steady.get(steady.size() - 1);
            double secs = (b.millis() - a.millis()) / 1000.0;
            r.append(String.format(Locale.ROOT, "| sustained events/s, steady window (%.0f s after %.0f%% warm-up) | clients accepted **%,.0f** → cart-events-validated %,.0f → events_raw rows %,.0f; cart-events-enriched %,.0f → events_processed rows %,.0f |%n",
                    secs, WARMUP_FRACTION * 100, (b.acked() - a.acked()) / secs, (b.validated() - a.validated()) / secs,
                    (b.rawRows() - a.rawRows()) / secs, (b.enriched() - a.enriched()) / secs, (b.processedRows() - a.processedRows()) / secs));
            StringBuilder backlog = new StringBuilder();
            boolean growing = false;
            for (String g : new TreeSet<>(a.lag().keySet())) {
                long from = a.lag().get(g);
                long to = b.lag().getOrDefault(g, from);
                double perSecond = (to - from) / secs;
                // Growing: the backlog rose by more than one second's worth of the target rate over the window.
                boolean grows = to - from > rate;
                growing |= grows;
                backlog.append(String.format(Locale.ROOT, "%s %,d → %,d (%+,.0f/s%s); ", g, from, to, perSecond, grows ? ", GROWS" : ""));
            }
            r.append("| backlog (consumer lag) over the steady window | ").append(backlog).append(growing ? "**a backlog grows**" : "no backlog grows").append(" |\n");
            double cpuSecs = (sending.get(sending.size() - 1).millis() - sending.get(0).millis()) / 1000.0;
            List<StageSampler.Sample> idle = samples.stream().filter(x -> x.millis() >= idleStart && x.millis() <= idleEnd).toList();
            double acceptedPerSecond = (sending.get(sending.size() - 1).acked() - sending.get(0).acked()) / cpuSecs;
            StringBuilder cpu = new StringBuilder();
            StringBuilder idleCpu = new StringBuilder();
            StringBuilder perEvent = new StringBuilder();
            StringBuilder rss = new StringBuilder();
            for (Map.Entry<String, Double> e : sending.get(sending.size() - 1).cpuSeconds().entrySet()) {
                Double start = sending.get(0).cpuSeconds().get(e.getKey());
                double busy = start != null && start >= 0 && e.getValue() >= 0 ? (e.getValue() - start) / cpuSecs : -1;
                double idleShare = idle.size() >= 2 ? share(idle, e.getKey()) : -1;
                if (busy >= 0) {
                    cpu.append(String.format(Locale.ROOT, "%s %.0f%%; ", e.getKey(), 100 * busy));
                }
                if (idleShare >= 0) {
                    idleCpu.append(String.format(Locale.ROOT, "%s %.0f%%; ", e.getKey(), 100 * idleShare));
                }
                if (busy >= 0 && idleShare >= 0 && acceptedPerSecond > 0) {
                    perEvent.append(String.format(Locale.ROOT, "%s %.0f µs; ", e.getKey(),
                            1e6 * Math.max(0, busy - idleShare) / acceptedPerSecond));
                }
                long peak = sending.stream().mapToLong(x -> x.rssKib().getOrDefault(e.getKey(), -1L)).max().orElse(-1);
                rss.append(String.format(Locale.ROOT, "%s %,d MiB; ", e.getKey(), peak / 1024));
            }
            r.append("| CPU per process while sending (100% = one core) | ").append(cpu).append("|\n");
            r.append("| CPU per process idle, before the load (").append(IDLE_SECONDS).append(" s) | ").append(idleCpu).append("|\n");
            r.append("| CPU time per accepted event above idle | ").append(perEvent).append("|\n");
            r.append("| RSS peak per process | ").append(rss).append("|\n");
        } else {
            r.append("| sustained events/s | too few samples (run longer) |\n");
        }
        r.append(String.format(Locale.ROOT, "| drain after sending stopped (events_raw holds every accepted event) | %s |%n",
                drainedAt < 0 ? "not within 180 s" : String.format(Locale.ROOT, "%.1f s", (drainedAt - sendEnd) / 1000.0)));
        double sustained = steady.size() >= 2 ? (steady.get(steady.size() - 1).acked() - steady.get(0).acked())
                / ((steady.get(steady.size() - 1).millis() - steady.get(0).millis()) / 1000.0) : 0;
        boolean met = sustained >= 30_000 && e2e.histogram().percentileMs(99) <= 2000 && duration >= 300;
        r.append(String.format(Locale.ROOT, "| target (≥ 30,000 ev/s for 5 min, e2e p99 ≤ 2 s, no backlog growing) | %s |%n",
                met ? "**met**" : "**not met**" + (duration < 300 ? " (run shorter than 5 min)" : "")));
    }
}
