package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.schema.dedup.DedupStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one thread of a task that talks to Redis for the de-duplication pre-mark. Transport threads hand it
 * each admitted group ({@link #submit}, never waits); it marks every group that arrived since its last
 * round trip together, in one pipelined {@link DedupStore#markAll}, so the round trips follow the load
 * (one per group when quiet, large pipelines under load) and the task thread never waits for Redis unless
 * it is ahead of it. One thread, so the Redis client has one user.
 *
 * <p>Unbounded queue, bounded by admission: only admitted groups come here, and the task's
 * {@code queue.capacity} bounds the events admitted and not yet answered.
 *
 * <p>When Redis fails, the groups of that round trip stay unmarked (the transform decides per event with its
 * own {@code redis.failure.mode}) and nothing is sent to Redis for {@code backoffMs}: groups admitted in
 * that time are left unmarked at once. The warning is logged at most every 10 s.
 */
final class MarkingThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MarkingThread.class);
    /** Cap of one pipeline, so one round trip stays short and the first groups are answered early. */
    static final int MAX_EVENTS_PER_ROUND_TRIP = 2_000;
    private static final long WARN_EVERY_MS = 10_000;
    private static final long CLOSE_WAIT_MS = 2_000;

    private final DedupPreMarker.Marker marker;
    private final long backoffMs;
    private final LinkedBlockingQueue<GroupMark> waiting = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long pausedUntil;
    private long lastWarn; // marking thread only

    MarkingThread(String name, DedupPreMarker.Marker marker, long backoffMs) {
        this.marker = marker;
        this.backoffMs = backoffMs;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a group for the next round trip; returns at once (its result comes later). */
    GroupMark submit(List<String> hashes, List<String> eventIds) {
        if (closed || System.currentTimeMillis() < pausedUntil) {
            return GroupMark.unmarked(hashes, eventIds);
        }
        GroupMark group = new GroupMark(hashes, eventIds);
        waiting.add(group);
        if (closed) {
            leaveWaitingUnmarked(); // raced with close(): nobody else will answer it
        }
        return group;
    }

    private void run() {
        List<GroupMark> round = new ArrayList<>();
        try {
            while (!closed) {
                GroupMark first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                round.add(first);
                int events = first.size();
                GroupMark next;
                while (events < MAX_EVENTS_PER_ROUND_TRIP && (next = waiting.poll()) != null) {
                    round.add(next);
                    events += next.size();
                }
                mark(round, events);
                round.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            round.forEach(g -> g.complete(null));
            leaveWaitingUnmarked();
        }
    }

    private void mark(List<GroupMark> round, int events) {
        long now = System.currentTimeMillis();
        if (now < pausedUntil) {
            round.forEach(g -> g.complete(null));
            return;
        }
        List<String> hashes = new ArrayList<>(events);
        List<String> ids = new ArrayList<>(events);
        for (GroupMark g : round) {
            hashes.addAll(g.hashes());
            ids.addAll(g.eventIds());
        }
        List<DedupStore.Mark> marks;
        try {
            marks = marker.markAll(hashes, ids);
        } catch (RuntimeException e) {
            pausedUntil = now + backoffMs;
            if (now - lastWarn > WARN_EVERY_MS) {
                lastWarn = now;
                log.warn("De-duplication pre-mark: Redis failed ({}); the transform decides per event for {} ms",
                        e.toString(), backoffMs);
            }
            round.forEach(g -> g.complete(null));
            return;
        }
        int from = 0;
        for (GroupMark g : round) {
            g.complete(marks.subList(from, from + g.size()));
            from += g.size();
        }
    }

    private void leaveWaitingUnmarked() {
        GroupMark g;
        while ((g = waiting.poll()) != null) {
            g.complete(null);
        }
    }

    /** Stops the thread (after its current round trip, bounded), answers what is left unmarked, closes the client. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt(); // wakes the idle wait; a round trip in progress ends by its socket timeout
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leaveWaitingUnmarked();
        try {
            marker.close();
        } catch (Exception e) {
            log.debug("Closing the pre-mark store: {}", e.toString());
        }
    }
}
