package dev.eventpipeline.ingest.ack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The task's unanswered events: a fixed number of permits ({@code queue.capacity}) bounds them, which
 * bounds memory whatever clients do. A group of events takes its permits at once or not at all; a
 * permit comes back when the event is answered (Kafka reported, timed out, or task stopped).
 *
 * <p>Timeouts: records are kept in admission order; {@link #expireOverdue} (called periodically)
 * walks from the oldest, drops the answered ones and fails the overdue ones. Admission order is
 * deadline order, so the walk stops at the first record not yet due.
 */
public final class InFlight {
    private static final Logger log = LoggerFactory.getLogger(InFlight.class);

    private final int capacity;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<TrackedRecord> order = new ConcurrentLinkedQueue<>();
    private final String timeoutReason;
    /** Senders told QUEUE_FULL, oldest first, each woken once when its group may fit. */
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private record Waiter(int needed, Runnable retry) {
    }

    public InFlight(int capacity, long timeoutMs) {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
        this.timeoutReason = "not acknowledged by Kafka within " + timeoutMs + " ms; retry";
    }

    /** Takes {@code n} permits if all are available now; never blocks. */
    public boolean tryReserve(int n) {
        return permits.tryAcquire(n);
    }

    /** Gives back permits taken by {@link #tryReserve} that were not used. */
    public void unreserve(int n) {
        permits.release(n);
    }

    /** Starts tracking a record admitted with a reserved permit. */
    public void track(TrackedRecord record) {
        order.add(record);
    }

    /** Called once per answered event (from the record's callback wrapper): returns its permit. */
    public void answered() {
        permits.release();
        if (!waiters.isEmpty()) {
            wakeWaiters();
        }
    }

    /**
     * Runs {@code retry} once, as soon as at least {@code n} permits are free (perhaps at once). Waiters are
     * woken oldest first and only as many as the free permits cover, so a burst of releases does not
     * stampede every waiting sender; a woken sender that loses the race to another one asks again.
     */
    public void whenRoomFor(int n, Runnable retry) {
        waiters.add(new Waiter(n, retry));
        wakeWaiters();
    }

    private void wakeWaiters() {
        int budget = permits.availablePermits();
        Waiter w;
        while ((w = waiters.peek()) != null && w.needed() <= budget) {
            if (waiters.remove(w)) {
                budget -= w.needed();
                try {
                    w.retry().run();
                } catch (RuntimeException e) {
                    log.warn("A waiting sender's retry failed", e);
                }
            }
        }
    }

    /**
     * Fails every record whose deadline passed.
     *
     * @param onExpired told about each expired record after its client was answered (withdraw it from
     *                  the poll queue if it is still there)
     * @return how many expired
     */
    public int expireOverdue(long nowNanos, Consumer<TrackedRecord> onExpired) {
        int expired = 0;
        TrackedRecord head;
        while ((head = order.peek()) != null) {
            if (head.isDone()) {
                order.poll();
                continue;
            }
            if (head.deadlineNanos() - nowNanos > 0) {
                break;
            }
            order.poll();
            if (head.complete(new Outcome.Failed(timeoutReason))) {
                expired++;
                try {
                    onExpired.accept(head);
                } catch (RuntimeException e) {
                    log.warn("Could not withdraw an expired record", e);
                }
            }
        }
        return expired;
    }

    /** Answers every unanswered record with {@link Outcome.Failed}; returns how many there were. */
    public int failAll(String reason) {
        wakeAll();
        List<TrackedRecord> all = new ArrayList<>();
        TrackedRecord r;
        while ((r = order.poll()) != null) {
            all.add(r);
        }
        int failed = 0;
        Outcome outcome = new Outcome.Failed(reason);
        for (TrackedRecord record : all) {
            if (record.complete(outcome)) {
                failed++;
            }
        }
        return failed;
    }

    /** Wakes every waiting sender (stopping: their retry learns it from the sink and answers its client). */
    private void wakeAll() {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            try {
                w.retry().run();
            } catch (RuntimeException e) {
                log.warn("A waiting sender's retry failed", e);
            }
        }
    }

    /** Senders waiting for room. */
    public int waiting() {
        return waiters.size();
    }

    /** Events admitted and not yet answered. */
    public int unanswered() {
        return capacity - permits.availablePermits();
    }

    public int capacity() {
        return capacity;
    }
}
