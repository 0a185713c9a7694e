package dev.eventpipeline.ingest.ack;

/** Immediate answer of an {@link EventSink} to a submitted group of events (all or none are admitted). */
public enum Admission {
    /** Every event was queued for Kafka; the outcome callback will be called exactly once per event. */
    QUEUED,
    /** Not enough room in the task's bounded buffer: nothing was queued (back-pressure). */
    QUEUE_FULL,
    /** The task is stopping or not started: nothing was queued. */
    STOPPING
}
