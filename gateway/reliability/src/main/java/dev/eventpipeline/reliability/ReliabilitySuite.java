package dev.eventpipeline.reliability;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.reliability.audit.PersistenceAudit;
import dev.eventpipeline.reliability.audit.ProcessedDrain;
import dev.eventpipeline.reliability.corpus.AuthListener;
import dev.eventpipeline.reliability.corpus.CorpusRunner;
import dev.eventpipeline.reliability.fault.Fault;
import dev.eventpipeline.reliability.fault.FaultRunner;
import dev.eventpipeline.reliability.fault.Faults;
import dev.eventpipeline.reliability.fault.ScenarioResult;
import dev.eventpipeline.reliability.load.AckBook;
import dev.eventpipeline.reliability.load.ResilientLoad;
import dev.eventpipeline.reliability.process.ProcessPipeline;
import dev.eventpipeline.reliability.process.WorkDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The full reliability suite ({@code scripts/reliability.sh}): starts the pipeline as separate
 * processes, runs the chosen fault scenarios one after the other under load, then the bad-input corpus
 * with good traffic alongside, and prints the Markdown tables of docs/RELIABILITY.md. Exit code 1 when
 * any acknowledged event is missing from events_raw or (once the enriched path drained) events_processed,
 * any id has two rows in either, or any corpus request got an undocumented answer.
 *
 * <pre>
 * ReliabilitySuite all|faults|corpus [--scenarios connect-kill,...|all] [--rate 1000] [--ws 2] [--http 2]
 *     [--batch 50] [--warmup 20] [--after 20] [--outage 60] [--count 10000] [--seed 1] [--slow-http 200]
 *     [--slow-ws 100] [--work DIR] [--plugins DIR]
 * </pre>
 */
public final class ReliabilitySuite {
    private ReliabilitySuite() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        String command = args.command() == null ? "all" : args.command();
        WorkDirectory workDirectory = WorkDirectory.of(args, "reliability");
        Path work = workDirectory.path();
        Path plugins = Path.of(args.get("plugins", "gateway/reliability/target/plugins")).toAbsolutePath();
        StringBuilder out = new StringBuilder("Run " + Instant.now() + ", load average before: "
                + Files.readString(Path.of("/proc/loadavg")).trim() + ", command: ReliabilitySuite " + String.join(" ", argv) + "\n\n");
        boolean ok = true;
        try (ProcessPipeline pipeline = ProcessPipeline.start(ProcessPipeline.Layout.freePorts(work, plugins))) {
            if (command.equals("all") || command.equals("faults")) {
                Map<String, Fault> faults = Faults.all(args.integer("outage", 60));
                String which = args.get("scenarios", "all");
                List<String> names = which.equals("all") ? new ArrayList<>(faults.keySet()) : Arrays.asList(which.split(","));
                FaultRunner.Load load = new FaultRunner.Load(args.integer("rate", 1000), args.integer("ws", 2),
                        args.integer("http", 2), args.integer("batch", 50), args.integer("warmup", 20), args.integer("after", 20));
                out.append(ScenarioResult.tableHeader());
                FaultRunner runner = new FaultRunner(pipeline);
                StringBuilder notes = new StringBuilder();
                for (String name : names) {
                    Fault fault = faults.get(name);
                    if (fault == null) {
                        throw new IllegalArgumentException("unknown scenario " + name + "; known: " + faults.keySet());
                    }
                    ScenarioResult r = runner.run(fault, load);
                    ok &= r.ok();
                    out.append(r.tableRow());
                    System.err.print(r.tableRow());
                    if (r.processedTimeout() != null) {
                        notes.append("- ").append(r.description()).append(": ").append(r.processedTimeout()).append('\n');
                    }
                }
                out.append('\n').append(notes);
            }
            if (command.equals("all") || command.equals("corpus")) {
                ok &= corpus(pipeline, args, out);
            }
        }
        System.out.print(out);
        System.out.println(ok ? "RESULT: OK" : "RESULT: FAILED");
        workDirectory.finish(ok);
        System.exit(ok ? 0 : 1);
    }

    private static boolean corpus(ProcessPipeline pipeline, Args args, StringBuilder out) throws Exception {
        int authPort = PortCheck.freePort();
        AuthListener.deploy(pipeline.layout().connectUrl(), pipeline.layout().host(), authPort, "suite-key-0123456789abcdef");
        AckBook good = new AckBook(true, 0);
        int count = args.integer("count", 10_000);
        try (ResilientLoad load = new ResilientLoad(new ResilientLoad.Options(pipeline.layout().ingestWsUrl(),
                pipeline.layout().ingestHttpUrl(), 1, 1, 200, 10, 200), good, "good" + System.currentTimeMillis() % 100000).start()) {
            CorpusRunner.Report report = new CorpusRunner(new CorpusRunner.Target(pipeline.layout().host(),
                    pipeline.layout().ingestPort(), authPort, pipeline.pids().get("connect")))
                    .run(count, args.integer("seed", 1), 4, args.integer("slow-http", 200), args.integer("slow-ws", 100));
            long unresolved = load.awaitDrained(Duration.ofSeconds(60));
            load.close();
            PersistenceAudit audit = new PersistenceAudit(pipeline::clickHouse, pipeline.layout().bootstrapServers());
            PersistenceAudit.Counts counts = audit.awaitPersisted(load.run(), good.acceptedIds(), Duration.ofSeconds(120));
            Set<String> lost = new HashSet<>(good.acceptedIds());
            lost.removeAll(counts.rawIds());
            ProcessedDrain.Result processed = new ProcessedDrain(run -> audit.rowIds(ProcessedDrain.TABLE, run), Duration.ofMillis(500))
                    .await(load.run(), good.acceptedIds(), Duration.ofSeconds(120));
            out.append(report.table()).append('\n').append(report.summary()).append('\n');
            out.append(String.format("Good traffic alongside (200 ev/s, 1 WS + 1 HTTP): sent %,d, accepted %,d, failed answers %,d, "
                            + "transport errors %,d, unresolved %,d, ack p50 %.1f ms, p99 %.1f ms; in events_raw: %,d, lost %,d; "
                            + "in events_processed: %,d rows, lost %,d, duplicates %,d%n",
                    good.sent(), good.accepted(), good.failed(), good.transportErrors(), unresolved,
                    good.ackLatency().percentileMs(50), good.ackLatency().percentileMs(99), good.accepted() - lost.size(), lost.size(),
                    processed.check().rows(), processed.check().lost(), processed.check().duplicateIds()));
            if (!processed.drained()) {
                out.append(processed.timeoutMessage()).append('\n');
            }
            return report.ok() && good.failed() == 0 && unresolved == 0 && good.accepted() == good.sent() && lost.isEmpty()
                    && processed.check().ok();
        }
    }
}
