package dev.eventpipeline.reliability.fault;

import java.util.Locale;

/**
 * One row of docs/RELIABILITY.md.
 *
 * @param healMs              how long bringing the component back took (restart until it answered)
 * @param ingestRecoveryMs    heal → first {@code accepted} answer after it
 * @param persistRecoveryMs   heal → every event accepted before the heal visible in events_raw
 * @param longestAckGapMs     longest stretch without any {@code accepted} answer during the run
 */
public record ScenarioResult(String scenario, String description, String load, long sent, long accepted, long persisted,
                             long lost, long duplicateIds, long processedRows, long processedDuplicateIds, long deadLetters,
                             long retried, long unresolved, long healMs, long ingestRecoveryMs, long persistRecoveryMs,
                             long longestAckGapMs, String lostSample) {

    public boolean ok() {
        return lost == 0 && duplicateIds == 0 && processedDuplicateIds == 0;
    }

    public static String tableHeader() {
        return "| scenario | load | acknowledged | persisted (events_raw FINAL) | lost | duplicates after FINAL (raw / processed) "
                + "| events_processed rows | DLQ records | retried sends | unanswered at the end | restart took | recovery: ingest / persisted | longest ack gap |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    }

    public String tableRow() {
        return String.format(Locale.ROOT, "| %s | %s | %,d | %,d | **%,d** | **%,d / %,d** | %,d | %,d | %,d | %,d | %s | %s / %s | %s |%n",
                description, load, accepted, persisted, lost, duplicateIds, processedDuplicateIds, processedRows, deadLetters,
                retried, unresolved, seconds(healMs), seconds(ingestRecoveryMs), seconds(persistRecoveryMs), seconds(longestAckGapMs));
    }

    private static String seconds(long ms) {
        return ms < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
