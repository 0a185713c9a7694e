package dev.eventpipeline.reliability.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bounded wait for the enriched path (validation, de-duplication, enrichment, cart-events-enriched,
 * the processed sink) to catch up after a scenario: that path trails events_raw, so counting it at once
 * would report events on their way as lost. Polls events_processed until it has a row for every
 * acknowledged id or the timeout passes; what is still missing then counts as lost-processed.
 */
public final class ProcessedDrain {
    public static final String TABLE = "events_processed";

    /** The event id of every row of a run in events_processed after FINAL (one entry per row). */
    @FunctionalInterface
    public interface RowIds {
        List<String> of(String run) throws IOException;
    }

    /**
     * @param drained        every acknowledged id had a row before the timeout
     * @param waitedMs       how long the wait took
     * @param timeoutMessage why the wait gave up (null when drained)
     */
    public record Result(PathCheck check, boolean drained, long waitedMs, String timeoutMessage) {
    }

    private final RowIds rows;
    private final Duration pollEvery;

    public ProcessedDrain(RowIds rows, Duration pollEvery) {
        this.rows = rows;
        this.pollEvery = pollEvery;
    }

    public Result await(String run, Set<String> acknowledged, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        PathCheck last = null;
        IOException lastError = null;
        while (true) {
            try {
                last = PathCheck.of(TABLE, acknowledged, rows.of(run));
                if (last.lost() == 0) {
                    return new Result(last, true, millisSince(start), null);
                }
            } catch (IOException e) {
                // ClickHouse may still be starting after its fault: poll again.
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                if (last == null) {
                    throw new IllegalStateException("processed path: ClickHouse did not answer within " + timeout + ": " + lastError,
                            lastError);
                }
                return new Result(last, false, millisSince(start), String.format(Locale.ROOT,
                        "processed path not drained within %d s: %,d of %,d acknowledged events still have no row in %s FINAL "
                                + "(e.g. %s); counted as lost-processed", timeout.toSeconds(), last.lost(), last.acknowledged(), TABLE,
                        String.join(",", last.lostSample())));
            }
            Thread.sleep(pollEvery.toMillis());
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
