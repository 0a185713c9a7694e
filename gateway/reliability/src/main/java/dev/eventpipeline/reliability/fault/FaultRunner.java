package dev.eventpipeline.reliability.fault;

import dev.eventpipeline.reliability.audit.PathCheck;
import dev.eventpipeline.reliability.audit.PersistenceAudit;
import dev.eventpipeline.reliability.audit.ProcessedDrain;
import dev.eventpipeline.reliability.load.AckBook;
import dev.eventpipeline.reliability.load.ResilientLoad;
import dev.eventpipeline.reliability.process.ProcessPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one fault under load and accounts for every event: load (WebSocket and HTTP, retrying clients)
 * for a warm-up, the fault, its outage, the heal, more load, then the drain; afterwards every id the
 * clients were told {@code accepted} must have exactly one row in {@code events_raw} and, once the
 * enriched path has drained, exactly one in {@code events_processed}, both after {@code FINAL}.
 * The load sends only schema-valid events ({@code CartEvents}) and the accepted set excludes what was
 * answered {@code invalid} or {@code duplicate}, so every id in it must reach both tables.
 */
public final class FaultRunner {
    private static final Logger log = LoggerFactory.getLogger(FaultRunner.class);
    /**
     * How long the enriched path may take to catch up once the clients stopped: after an enrichment
     * kill the restarted Streams member may first wait out the dead member's session before it gets partitions.
     */
    static final Duration PROCESSED_DRAIN_TIMEOUT = Duration.ofSeconds(240);

    /** Load shape: rate over all senders, WebSocket connections, HTTP threads, seconds before and after the fault. */
    public record Load(long rate, int wsConnections, int httpThreads, int batch, int warmupSeconds, int afterSeconds) {
        String describe() {
            return String.format(Locale.ROOT, "%,d ev/s (%d WS + %d HTTP, batch %d), %d s before + outage + %d s after",
                    rate, wsConnections, httpThreads, batch, warmupSeconds, afterSeconds);
        }
    }

    private final ProcessPipeline pipeline;
    private final PersistenceAudit audit;

    public FaultRunner(ProcessPipeline pipeline) {
        this.pipeline = pipeline;
        this.audit = new PersistenceAudit(pipeline::clickHouse, pipeline.layout().bootstrapServers());
    }

    public ScenarioResult run(Fault fault, Load load) throws Exception {
        String run = fault.name().replaceAll("[^a-z]", "") + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        long dlqBefore = audit.deadLetterRecords();
        AckBook book = new AckBook(true, 0);
        ResilientLoad.Options options = new ResilientLoad.Options(pipeline.layout().ingestWsUrl(),
                pipeline.layout().ingestHttpUrl(), load.wsConnections(), load.httpThreads(), load.rate(), load.batch(),
                Math.max(load.batch() * 4, 400));
        AtomicLong longestGap = new AtomicLong();
        long heal;
        long healed;
        Set<String> acceptedBeforeHeal;
        try (ResilientLoad clients = new ResilientLoad(options, book, run).start()) {
            Thread gapWatch = watchGaps(book, longestGap);
            Thread.sleep(load.warmupSeconds() * 1000L);
            log.info("[{}] injecting: {} ({} accepted so far)", fault.name(), fault.description(), book.accepted());
            fault.inject(pipeline);
            Thread.sleep(fault.outage().toMillis());
            heal = System.currentTimeMillis();
            log.info("[{}] healing", fault.name());
            // Watched from the moment the heal starts: a fault that never stopped ingestion recovers at once.
            acceptedBeforeHeal = new HashSet<>(book.acceptedIds());
            RecoveryWatch watch = new RecoveryWatch(book, audit, run, acceptedBeforeHeal).start();
            fault.heal(pipeline);
            healed = System.currentTimeMillis();
            long ingestBack = watch.awaitIngest(Duration.ofSeconds(120));
            long persistBack = watch.awaitPersisted(Duration.ofSeconds(240));
            log.info("[{}] healed in {} ms; accepting again after {} ms, caught up after {} ms", fault.name(),
                    healed - heal, ingestBack < 0 ? -1 : ingestBack - heal, persistBack < 0 ? -1 : persistBack - heal);
            Thread.sleep(load.afterSeconds() * 1000L);
            gapWatch.interrupt();
            clients.awaitDrained(Duration.ofSeconds(120));
            // Clients stop here, so the accepted set is final before it is compared with ClickHouse.
            clients.close();
            long unresolved = clients.unresolved();
            Set<String> acknowledged = book.acceptedIds();
            audit.awaitPersisted(run, acknowledged, Duration.ofSeconds(240));
            PathCheck raw = PathCheck.of("events_raw", acknowledged, audit.rowIds("events_raw", run));
            ProcessedDrain.Result processed = new ProcessedDrain(r -> audit.rowIds(ProcessedDrain.TABLE, r), Duration.ofMillis(500))
                    .await(run, acknowledged, PROCESSED_DRAIN_TIMEOUT);
            if (!processed.drained()) {
                log.warn("[{}] {}", fault.name(), processed.timeoutMessage());
            }
            // The watcher polls every 500 ms: once the drain is done it has seen (or is about to see) its subset.
            long processedBack = watch.awaitProcessed(Duration.ofSeconds(5));
            ScenarioResult result = new ScenarioResult(fault.name(), fault.description(), load.describe(), book.sent(),
                    book.retried(), unresolved, raw, processed.check(), processed.timeoutMessage(),
                    audit.deadLetterRecords() - dlqBefore, healed - heal, ingestBack < 0 ? -1 : ingestBack - heal,
                    persistBack < 0 ? -1 : persistBack - heal, processedBack < 0 ? -1 : processedBack - heal, longestGap.get());
            log.info("[{}] sent {}, accepted {}, duplicate {}, invalid {}, failed answers {}, transport errors {}, unresolved {}, "
                            + "ack latency p50 {} ms p99 {} ms: rows raw {} / processed {} (drained after {} ms), lost raw {} / processed {}, "
                            + "duplicate ids raw {} / processed {}; processed rows with redis_degraded=1: {}", fault.name(), book.sent(),
                    book.accepted(), book.duplicate(), book.invalid(), book.failed(), book.transportErrors(), unresolved,
                    book.ackLatency().percentileMs(50), book.ackLatency().percentileMs(99), raw.rows(), processed.check().rows(),
                    processed.waitedMs(), raw.lost(), processed.check().lost(), raw.duplicateIds(), processed.check().duplicateIds(),
                    audit.redisDegradedRows(run));
            return result;
        }
    }

    private static Thread watchGaps(AckBook book, AtomicLong longest) {
        Thread t = new Thread(() -> {
            long lastCount = book.accepted();
            long lastChange = System.currentTimeMillis();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.currentTimeMillis();
                long count = book.accepted();
                if (count != lastCount) {
                    lastCount = count;
                    lastChange = now;
                } else {
                    longest.accumulateAndGet(now - lastChange, Math::max);
                }
            }
        }, "ack-gap-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
