package dev.eventpipeline.reliability.fault;

import dev.eventpipeline.reliability.audit.PathCheck;

import java.util.Locale;

/**
 * One row of docs/RELIABILITY.md.
 *
 * @param raw                  acknowledged ids against events_raw FINAL
 * @param processed            acknowledged ids against events_processed FINAL, after the processed path drained
 * @param processedTimeout     why the processed path was not drained in time (null when it was)
 * @param healMs               how long bringing the component back took (restart until it answered)
 * @param ingestRecoveryMs     heal → first {@code accepted} answer after it
 * @param persistRecoveryMs    heal → every event accepted before the heal visible in events_raw
 * @param processedRecoveryMs  heal → every event accepted before the heal visible in events_processed
 * @param longestAckGapMs      longest stretch without any {@code accepted} answer during the run
 */
public record ScenarioResult(String scenario, String description, String load, long sent, long retried, long unresolved,
                             PathCheck raw, PathCheck processed, String processedTimeout, long deadLetters, long healMs,
                             long ingestRecoveryMs, long persistRecoveryMs, long processedRecoveryMs, long longestAckGapMs) {

    public long accepted() {
        return raw.acknowledged();
    }

    /** Nothing acknowledged is missing from either table, and no id has two rows in either. */
    public boolean ok() {
        return raw.ok() && processed.ok();
    }

    public static String tableHeader() {
        return "| scenario | load | acknowledged | rows after FINAL (events_raw / events_processed) | lost (raw / processed) "
                + "| duplicates after FINAL (raw / processed) | DLQ records | retried sends | unanswered at the end | restart took "
                + "| recovery: ingest / raw / processed | longest ack gap |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    }

    public String tableRow() {
        return String.format(Locale.ROOT, "| %s | %s | %,d | %,d / %,d | **%,d / %,d** | **%,d / %,d** | %,d | %,d | %,d | %s | %s / %s / %s | %s |%n",
                description, load, accepted(), raw.rows(), processed.rows(), raw.lost(), processed.lost(), raw.duplicateIds(),
                processed.duplicateIds(), deadLetters, retried, unresolved, seconds(healMs), seconds(ingestRecoveryMs),
                seconds(persistRecoveryMs), seconds(processedRecoveryMs), seconds(longestAckGapMs));
    }

    private static String seconds(long ms) {
        return ms < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
