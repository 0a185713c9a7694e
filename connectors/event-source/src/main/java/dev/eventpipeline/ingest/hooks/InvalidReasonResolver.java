package dev.eventpipeline.ingest.hooks;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * Hook: explains why a record ended in the dead-letter topic. {@code commitRecord} receives the
 * <em>original</em> record (before transforms), so the error headers the validation transform put on
 * the DLQ copy are not visible here; an implementation re-derives the reason, e.g. by running the
 * same validator on {@code original}. Configured with {@code ack.invalid.reason.resolver.class};
 * called on Connect's producer callback thread, so it must be fast and must not block.
 */
public interface InvalidReasonResolver {

    /** Receives the connector's task configuration once, before the first call. */
    default void configure(Map<String, String> taskConfig) {
    }

    /** @return the reason reported to the client with status {@code invalid}; never null */
    String reasonFor(SourceRecord original, RecordMetadata dlqMetadata);

    /** Releases what {@link #configure} opened; called when the task stops. */
    default void close() {
    }

    /** Default until the validation transform's library is wired in: names the DLQ topic. */
    final class RoutedToDlq implements InvalidReasonResolver {
        @Override
        public String reasonFor(SourceRecord original, RecordMetadata dlqMetadata) {
            return "routed to " + dlqMetadata.topic();
        }
    }
}
