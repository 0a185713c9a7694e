package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.schema.dedup.DedupStore;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Redis marks of one admitted group of events: asked for on the transport thread, filled once by the
 * {@link MarkingThread}, read by the task thread. Only the marking thread writes it, and the latch
 * publishes the result, so the task thread never sees a half-written one.
 */
final class GroupMark {
    private final List<String> hashes;
    private final List<String> eventIds;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile List<DedupStore.Mark> marks; // null when not marked (Redis failed, paused, stopping)

    GroupMark(List<String> hashes, List<String> eventIds) {
        this.hashes = hashes;
        this.eventIds = eventIds;
    }

    /** A group left unmarked at once (the pre-mark is paused or closed): the transform decides. */
    static GroupMark unmarked(List<String> hashes, List<String> eventIds) {
        GroupMark g = new GroupMark(hashes, eventIds);
        g.complete(null);
        return g;
    }

    List<String> hashes() {
        return hashes;
    }

    List<String> eventIds() {
        return eventIds;
    }

    int size() {
        return hashes.size();
    }

    /** Called once, by the marking thread: {@code marks} in order, or null when Redis did not mark them. */
    void complete(List<DedupStore.Mark> marks) {
        this.marks = marks;
        done.countDown();
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    /** Waits at most {@code nanos} for the result; false when it is not there yet. */
    boolean await(long nanos) throws InterruptedException {
        return done.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** The mark of the {@code index}-th event, or null when the group was not marked. Only after completion. */
    DedupStore.Mark markOf(int index) {
        List<DedupStore.Mark> m = marks;
        return m == null ? null : m.get(index);
    }

    /** One record's place in its group: what the pre-mark leaves on a record at admission. */
    record Ticket(GroupMark group, int index) {
        String hash() {
            return group.hashes.get(index);
        }
    }
}
