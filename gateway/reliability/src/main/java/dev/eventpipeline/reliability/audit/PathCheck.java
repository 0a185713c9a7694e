package dev.eventpipeline.reliability.audit;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table's rows after {@code FINAL} held against what the clients were told: which acknowledged
 * ids have no row (lost) and which ids have more than one (duplicates). Rows of ids that were never
 * acknowledged (an ack lost with a killed worker, an event still unanswered when the clients stopped)
 * count as rows but are neither lost nor an error.
 *
 * @param acknowledged ids the clients were told {@code accepted}
 * @param rows         rows of the run in the table
 * @param lost         acknowledged ids without a row
 * @param duplicateIds ids with more than one row
 * @param lostSample   a few lost ids, for the failure message
 */
public record PathCheck(String table, long acknowledged, long rows, long lost, long duplicateIds, List<String> lostSample) {
    private static final int SAMPLE = 5;

    /** @param rowIds the event id of every row of the run (one entry per row, so a duplicate appears twice) */
    public static PathCheck of(String table, Set<String> acknowledged, Collection<String> rowIds) {
        Map<String, Integer> perId = new HashMap<>(rowIds.size() * 2);
        for (String id : rowIds) {
            perId.merge(id, 1, Integer::sum);
        }
        long duplicates = perId.values().stream().filter(n -> n > 1).count();
        long lost = 0;
        List<String> sample = new java.util.ArrayList<>();
        for (String id : acknowledged) {
            if (!perId.containsKey(id)) {
                lost++;
                if (sample.size() < SAMPLE) {
                    sample.add(id);
                }
            }
        }
        return new PathCheck(table, acknowledged.size(), rowIds.size(), lost, duplicates, List.copyOf(sample));
    }

    public boolean ok() {
        return lost == 0 && duplicateIds == 0;
    }
}
