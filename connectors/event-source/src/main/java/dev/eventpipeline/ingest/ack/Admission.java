package dev.eventpipeline.ingest.ack;

/** Immediate answer of an {@link EventSink} to a submitted event. */
public enum Admission {
    /** Queued for Kafka; the outcome callback will be called exactly once. */
    QUEUED,
    /** The bounded queue is full: answer now and let the client retry (back-pressure). */
    QUEUE_FULL,
    /** The task is stopping or not started: answer now and let the client retry. */
    STOPPING
}
