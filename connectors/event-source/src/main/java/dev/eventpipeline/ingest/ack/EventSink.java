package dev.eventpipeline.ingest.ack;

import dev.eventpipeline.ingest.record.ReceivedEvent;

import java.util.List;

/**
 * Where a transport hands events that passed the envelope checks. The task implements it: each event
 * becomes a record in the queue that {@code poll()} drains, and the callback is called once Connect
 * reports what happened to it. A group is admitted whole or not at all, so a request or frame never
 * gets half its events queued because the buffer filled up in between.
 */
@FunctionalInterface
public interface EventSink {

    /** Called exactly once per admitted event, on some other thread; must not block. */
    @FunctionalInterface
    interface OutcomeCallback {
        void onOutcome(int index, Outcome outcome);
    }

    /**
     * @param onOutcome called exactly once per event (with its index in {@code events}) if and only if
     *                  the result is {@link Admission#QUEUED}; never called otherwise
     */
    Admission submit(List<ReceivedEvent> events, OutcomeCallback onOutcome);

    /**
     * After {@link Admission#QUEUE_FULL}: asks to be told once when room for {@code events} events may have
     * freed up, so a waiting sender retries at once instead of polling. {@code retry} runs at most once, on
     * the thread that answered an event (keep it short: hand real work to another thread); it is a hint,
     * not a reservation, so the retry may find the buffer full again. Sinks without it never call back;
     * callers keep a timer as well.
     */
    default void whenRoomFor(int events, Runnable retry) {
    }
}
