package dev.eventpipeline.ingest.ack;

import dev.eventpipeline.ingest.record.ReceivedEvent;

import java.util.function.Consumer;

/**
 * Where a transport hands events that passed the envelope checks. The task implements it: the
 * event becomes a record in the bounded queue that {@code poll()} drains, and {@code onOutcome} is
 * called once Connect reports what happened to it.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * @param onOutcome called exactly once, on some other thread, if and only if the result is
     *                  {@link Admission#QUEUED}; never called otherwise
     */
    Admission submit(ReceivedEvent event, Consumer<Outcome> onOutcome);
}
