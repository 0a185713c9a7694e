package dev.eventpipeline.smt;

import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The pre-mark of a poll batch on the task thread (one pipelined round trip), as the event-source task did
 * it before marking moved to admission (README, "Task pre-mark"): hash each eventId,
 * {@link DedupStore#markAll}, add the {@link ErrorHeaders#DEDUP_HASH} and {@link ErrorHeaders#DEDUP_MARK} headers.
 */
final class DedupPremark {
    private DedupPremark() {
    }

    static List<SourceRecord> premark(DedupStore store, List<SourceRecord> batch) {
        List<String> ids = new ArrayList<>(batch.size());
        List<String> hashes = new ArrayList<>(batch.size());
        for (SourceRecord r : batch) {
            String id = String.valueOf(r.headers().lastWithName(ErrorHeaders.EVENT_ID).value());
            ids.add(id);
            hashes.add(DedupKeys.hashOfId(id));
        }
        List<DedupStore.Mark> marks = store.markAll(hashes, ids);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).headers().addString(ErrorHeaders.DEDUP_HASH, hashes.get(i));
            batch.get(i).headers().addString(ErrorHeaders.DEDUP_MARK, marks.get(i).name());
        }
        return batch;
    }
}
