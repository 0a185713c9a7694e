package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.ack.TrackedRecord;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.List;
import java.util.Map;

/**
 * Hook around the task's queue, configured with {@code poll.batch.hook.class}:
 * <ul>
 *   <li>{@link #admitted} sees each group of events as a transport admits it, on that transport's
 *       thread, before the records are queued: it may start slow work there (the de-duplication
 *       pre-mark starts its Redis mark) and leave a handle on each record
 *       ({@link TrackedRecord#admissionWork(Object)}). It must not block: Jetty threads call it.</li>
 *   <li>{@link #beforeSend} sees each batch {@code poll()} hands to Connect, on the task thread, before
 *       Connect runs the transforms; it may add headers (the pre-mark collects its marks there).</li>
 * </ul>
 * A hook that throws is logged and ignored: the events go on unchanged, and the transforms do their own work.
 */
public interface PollBatchHook {

    default void configure(Map<String, String> taskConfig) {
    }

    /** A group of events was admitted (all of them will be queued); called before they are queued. */
    default void admitted(List<TrackedRecord> group) {
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
