package dev.eventpipeline.ingest.hooks;

import org.apache.kafka.connect.source.SourceRecord;

import java.util.List;
import java.util.Map;

/**
 * Hook: sees each batch {@code poll()} hands to Connect, on the task thread, before Connect runs the
 * transforms. It may add headers (the de-duplication pre-mark does: one pipelined Redis round trip per
 * batch instead of one per event). Configured with {@code poll.batch.hook.class}. A hook that throws
 * is logged and ignored: the batch goes on unchanged, and the transforms do their own work.
 */
public interface PollBatchHook {

    default void configure(Map<String, String> taskConfig) {
    }

    void beforeSend(List<SourceRecord> batch);

    /** Called when the task stops. */
    default void close() {
    }

    /** Default: nothing. */
    final class None implements PollBatchHook {
        @Override
        public void beforeSend(List<SourceRecord> batch) {
        }
    }
}
