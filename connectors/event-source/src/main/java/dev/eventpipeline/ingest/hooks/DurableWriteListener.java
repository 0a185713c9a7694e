package dev.eventpipeline.ingest.hooks;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * Hook: told after a record is durably written to Kafka (any topic, including the DLQ), before the
 * client is answered. The de-duplication transform uses it to make its Redis mark final only after
 * the write, so that a retry of an event whose first attempt was lost is not dropped as a duplicate.
 * Configured with {@code ack.durable.write.listener.class}; called on Connect's producer callback
 * thread: it must not block (hand slow work to its own executor). Exceptions are logged and ignored.
 */
public interface DurableWriteListener {

    default void configure(Map<String, String> taskConfig) {
    }

    void onDurablyWritten(SourceRecord original, RecordMetadata metadata);

    /** Called when the task stops. */
    default void close() {
    }

    /** Default: nothing to confirm. */
    final class None implements DurableWriteListener {
        @Override
        public void onDurablyWritten(SourceRecord original, RecordMetadata metadata) {
        }
    }
}
