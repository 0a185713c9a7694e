package dev.eventpipeline.ingest.ack;

/**
 * What a client is told about one event that entered Connect, decided only once Connect reports back
 * through {@code SourceTask.commitRecord} (or the task gives up on it). Each transport maps these to
 * its wire form through {@link dev.eventpipeline.ingest.protocol.EventResult}.
 */
public sealed interface Outcome {

    /** Kafka has the record: the topic, partition and offset it was written to (after transforms). */
    record Accepted(String topic, int partition, long offset) implements Outcome {
    }

    /** Connect dropped the record without writing it: a transform filtered it (de-duplication). */
    record Duplicate() implements Outcome {
    }

    /**
     * A transform routed the record to the dead-letter topic (validation failed). It is durably in
     * Kafka (topic/partition/offset of the DLQ record); the client must not retry it unchanged.
     */
    record Invalid(String reason, String topic, int partition, long offset) implements Outcome {
    }

    /** The event was not acknowledged by Kafka; the client should retry with the same eventId. */
    record Failed(String reason) implements Outcome {
    }
}
