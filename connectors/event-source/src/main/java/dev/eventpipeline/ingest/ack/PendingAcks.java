package dev.eventpipeline.ingest.ack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Clients waiting for the outcome of their event, keyed by the <em>identity</em> of the object the
 * task handed to Connect (the {@code SourceRecord}). Identity, not {@code equals}: two records with
 * equal content are still two clients waiting.
 *
 * <p>Every registered callback is called exactly once: by {@link #complete} (Connect reported the
 * record), by the timer after {@code timeoutMs} ({@link Outcome.Failed}), or by {@link #failAll}
 * (task stopping). Whichever comes first removes the entry; the others find nothing. Callbacks run
 * outside the lock, on the calling thread (Connect's producer or committer thread, the timer thread,
 * or the thread stopping the task), so they must not block.
 *
 * @param <K> the record type; compared by identity
 */
public final class PendingAcks<K> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PendingAcks.class);

    private final Map<K, Entry> pending = new IdentityHashMap<>();
    private final long timeoutMs;
    private final String timeoutReason;
    private final Consumer<K> onExpired;
    private final ScheduledExecutorService timer;

    private record Entry(Consumer<Outcome> callback, ScheduledFuture<?> timeout) {
    }

    /**
     * @param timeoutMs how long an entry may wait before it is failed
     * @param onExpired told which record timed out (after its client was answered), so it can be
     *                  withdrawn if it has not been handed to Connect yet
     * @param name      names the timer thread
     */
    public PendingAcks(long timeoutMs, Consumer<K> onExpired, String name) {
        this.timeoutMs = timeoutMs;
        this.timeoutReason = "not acknowledged by Kafka within " + timeoutMs + " ms; retry";
        this.onExpired = onExpired;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-ack-timeout");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts waiting for {@code record}; {@code callback} is called exactly once later. */
    public void register(K record, Consumer<Outcome> callback) {
        synchronized (pending) {
            if (pending.containsKey(record)) {
                throw new IllegalStateException("record already pending");
            }
            ScheduledFuture<?> timeout = timer.schedule(() -> expire(record), timeoutMs, TimeUnit.MILLISECONDS);
            pending.put(record, new Entry(callback, timeout));
        }
    }

    /** Forgets {@code record} without calling its callback (it was never handed to Connect). */
    public boolean cancel(K record) {
        Entry entry = remove(record);
        return entry != null;
    }

    /**
     * Answers the client of {@code record}.
     *
     * @return false when nobody waits for it any more (timed out, failed at stop, or unknown)
     */
    public boolean complete(K record, Outcome outcome) {
        Entry entry = remove(record);
        if (entry == null) {
            return false;
        }
        notify(entry, outcome);
        return true;
    }

    /** Answers every waiting client with {@link Outcome.Failed}; returns how many there were. */
    public int failAll(String reason) {
        List<Entry> entries;
        synchronized (pending) {
            entries = new ArrayList<>(pending.values());
            pending.clear();
        }
        Outcome failed = new Outcome.Failed(reason);
        for (Entry entry : entries) {
            entry.timeout().cancel(false);
            notify(entry, failed);
        }
        return entries.size();
    }

    public int size() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Stops the timer; call {@link #failAll} first so nobody is left waiting. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void expire(K record) {
        Entry entry;
        synchronized (pending) {
            entry = pending.remove(record);
        }
        if (entry == null) {
            return;
        }
        log.warn("Event not acknowledged by Kafka within {} ms; answering failed", timeoutMs);
        notify(entry, new Outcome.Failed(timeoutReason));
        try {
            onExpired.accept(record);
        } catch (RuntimeException e) {
            log.warn("Could not withdraw an expired record", e);
        }
    }

    private Entry remove(K record) {
        Entry entry;
        synchronized (pending) {
            entry = pending.remove(record);
        }
        if (entry != null) {
            entry.timeout().cancel(false);
        }
        return entry;
    }

    private static void notify(Entry entry, Outcome outcome) {
        try {
            entry.callback().accept(outcome);
        } catch (RuntimeException e) {
            log.warn("Answering a client failed", e);
        }
    }
}
