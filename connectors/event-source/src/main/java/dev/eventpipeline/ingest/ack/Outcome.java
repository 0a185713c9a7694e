package dev.eventpipeline.ingest.ack;

/**
 * What a client is told about one event, decided only once Connect reports back through
 * {@code SourceTask.commitRecord} (or the task gives up on it). Each transport maps these to its own
 * wire form: HTTP status + JSON today, a WebSocket frame later.
 */
public sealed interface Outcome {

    /** Kafka has the record: the topic, partition and offset it was written to (after transforms). */
    record Accepted(String topic, int partition, long offset) implements Outcome {
    }

    /**
     * Connect dropped the record without writing it: a transform filtered it (the de-duplication
     * SMT drops events it has seen). A later issue distinguishes transforms that route to the DLQ.
     */
    record Duplicate() implements Outcome {
    }

    /** The event was not acknowledged by Kafka; the client should retry with the same eventId. */
    record Failed(String reason) implements Outcome {
    }
}
