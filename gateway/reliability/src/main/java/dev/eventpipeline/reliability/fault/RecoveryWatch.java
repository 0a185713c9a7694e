package dev.eventpipeline.reliability.fault;

import dev.eventpipeline.reliability.audit.PersistenceAudit;
import dev.eventpipeline.reliability.audit.ProcessedDrain;
import dev.eventpipeline.reliability.load.AckBook;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Started when the heal starts, in parallel with it: notes when clients next get an {@code accepted}
 * answer (10 ms resolution), when every event accepted before the heal is visible in events_raw
 * (250 ms resolution) and when it is in events_processed too (500 ms: that poll reads the enriched
 * table, the path that trails; coarser to keep ClickHouse's load down while the load runs).
 */
final class RecoveryWatch {
    private final AckBook book;
    private final PersistenceAudit audit;
    private final String run;
    /** The watchers stop polling after this long (longer than any await). */
    private static final long GIVE_UP_MS = 300_000;
    private final Set<String> acceptedBefore;
    private final CompletableFuture<Long> ingest = new CompletableFuture<>();
    private final CompletableFuture<Long> persisted = new CompletableFuture<>();
    private final CompletableFuture<Long> processed = new CompletableFuture<>();

    RecoveryWatch(AckBook book, PersistenceAudit audit, String run, Set<String> acceptedBefore) {
        this.book = book;
        this.audit = audit;
        this.run = run;
        this.acceptedBefore = acceptedBefore;
    }

    RecoveryWatch start() {
        long countAtStart = book.accepted();
        long giveUp = System.currentTimeMillis() + GIVE_UP_MS;
        daemon("recovery-ingest", () -> {
            while (book.accepted() <= countAtStart) {
                if (System.currentTimeMillis() > giveUp) {
                    return;
                }
                Thread.sleep(10);
            }
            ingest.complete(System.currentTimeMillis());
        });
        daemon("recovery-persisted", () -> {
            while (System.currentTimeMillis() < giveUp) {
                try {
                    if (audit.counts(run).rawIds().containsAll(acceptedBefore)) {
                        persisted.complete(System.currentTimeMillis());
                        return;
                    }
                } catch (IOException e) {
                    // ClickHouse down or starting: poll again
                }
                Thread.sleep(250);
            }
        });
        daemon("recovery-processed", () -> {
            while (System.currentTimeMillis() < giveUp) {
                try {
                    if (new HashSet<>(audit.rowIds(ProcessedDrain.TABLE, run)).containsAll(acceptedBefore)) {
                        processed.complete(System.currentTimeMillis());
                        return;
                    }
                } catch (IOException e) {
                    // ClickHouse down or starting: poll again
                }
                Thread.sleep(500);
            }
        });
        return this;
    }

    /** Wall millis of the first accepted answer after the heal started; -1 on timeout. */
    long awaitIngest(Duration timeout) throws InterruptedException {
        return await(ingest, timeout);
    }

    /** Wall millis at which every event accepted before the heal was visible; -1 on timeout. */
    long awaitPersisted(Duration timeout) throws InterruptedException {
        return await(persisted, timeout);
    }

    /** Wall millis at which every event accepted before the heal had its enriched row; -1 on timeout. */
    long awaitProcessed(Duration timeout) throws InterruptedException {
        return await(processed, timeout);
    }

    private static long await(CompletableFuture<Long> f, Duration timeout) throws InterruptedException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    @FunctionalInterface
    private interface Loop {
        void run() throws InterruptedException;
    }

    private static void daemon(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }
}
