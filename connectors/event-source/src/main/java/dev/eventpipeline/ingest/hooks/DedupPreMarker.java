package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupSettings;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The de-duplication pre-mark: marks each event in Redis when the listener admits it, and tells the
 * DeduplicateEvent transform the result through headers ({@code event-pipeline.dedup.hash},
 * {@code event-pipeline.dedup.mark}), so the transform decides without a Redis round trip. Same Redis
 * calls, keys and TTLs as the transform's own mark: they are read from the connector's DeduplicateEvent
 * configuration ({@code transforms.<alias>.type=dev.eventpipeline.smt.DeduplicateEvent}), so there is one
 * place to set them, through the same definitions and defaults ({@link DedupSettings}), so the two cannot
 * read them differently.
 *
 * <p>Why at admission: Connect runs the transforms on the task thread, the one thread a task has; marking
 * in {@code poll()} made it wait for Redis (≈ 6 µs per event of 21). Now {@link #admitted} only hashes the
 * eventIds and hands the group to the task's {@link MarkingThread}, which marks whatever was admitted since
 * its last round trip in one pipeline; {@link #beforeSend} collects the results, which are normally there
 * already (it waits for one at most {@code redis.timeout.ms} per batch).
 *
 * <p>Unmarked records (Redis failed or paused, the mark not back in time, the task stopping) go on without
 * headers and the transform applies its own failure mode ({@code redis.failure.mode}); after a failure
 * the pre-mark pauses for the transform's {@code redis.retry.backoff.ms}. A mark set for an event that is
 * then not written (ack timeout, task stopping, or invalid under its schema: the hook runs before
 * validation) is only pending: it never filters the client's retry and expires after
 * {@code dedup.pending.ttl.ms}.
 */
public final class DedupPreMarker implements PollBatchHook {
    private static final Logger log = LoggerFactory.getLogger(DedupPreMarker.class);
    static final String TRANSFORM_CLASS = DedupTransformSettings.TRANSFORM_CLASS;
    private static final long WARN_EVERY_MS = 10_000;

    /** The Redis side: {@link DedupStore#markAll}. */
    @FunctionalInterface
    interface Marker extends AutoCloseable {
        List<DedupStore.Mark> markAll(List<String> hashes, List<String> eventIds);

        @Override
        default void close() {
        }
    }

    private MarkingThread marking;
    private long waitNanos;
    private long lastWarn; // task thread only

    public DedupPreMarker() {
    }

    /** With a given marker (tests). */
    DedupPreMarker(Marker marker, long backoffMs, long waitMs) {
        start("dedup-premark-test", marker, backoffMs, waitMs);
    }

    private void start(String threadName, Marker marker, long backoffMs, long waitMs) {
        this.marking = new MarkingThread(threadName, marker, backoffMs);
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
    }

    @Override
    public void configure(Map<String, String> taskConfig) {
        DedupTransformSettings dedup = DedupTransformSettings.of(taskConfig, "poll.batch.hook.class=" + getClass().getName());
        AbstractConfig settings = dedup.settings();
        String url = settings.getString(DedupSettings.REDIS_URL);
        DedupStore store = DedupSettings.store(settings); // thread-safe (pool); used by the marking thread only
        Marker marker = new Marker() {
            @Override
            public List<DedupStore.Mark> markAll(List<String> hashes, List<String> eventIds) {
                return store.markAll(hashes, eventIds);
            }

            @Override
            public void close() {
                store.close();
            }
        };
        // A mark the task waits for longer than one Redis call may take is given up: the transform decides.
        start(dedup.taskName() + "-dedup-premark", marker, settings.getLong(DedupSettings.REDIS_RETRY_BACKOFF_MS),
                settings.getInt(DedupSettings.REDIS_TIMEOUT_MS));
        log.info("De-duplication pre-mark on, at admission (transform {}, Redis {})", dedup.prefix(), url);
    }

    /** {@code transforms.<alias>.} of the connector's DeduplicateEvent transform. */
    static String transformPrefix(Map<String, String> taskConfig) {
        return DedupTransformSettings.transformPrefix(taskConfig, "poll.batch.hook.class=" + DedupPreMarker.class.getName());
    }

    /** Transport thread: hashes the eventIds and queues the group's mark; never waits for Redis. */
    @Override
    public void admitted(List<TrackedRecord> group) {
        List<TrackedRecord> keyed = new ArrayList<>(group.size());
        List<String> hashes = new ArrayList<>(group.size());
        List<String> ids = new ArrayList<>(group.size());
        for (TrackedRecord record : group) {
            if (record.eventId() == null) {
                continue; // the transform keys such events itself
            }
            keyed.add(record);
            ids.add(record.eventId());
            hashes.add(DedupKeys.hashOfId(record.eventId()));
        }
        if (keyed.isEmpty()) {
            return;
        }
        GroupMark mark = marking.submit(hashes, ids);
        for (int i = 0; i < keyed.size(); i++) {
            keyed.get(i).admissionWork(new GroupMark.Ticket(mark, i));
        }
    }

    /** Task thread: puts the marks on the records; waits at most redis.timeout.ms in all for those not back yet. */
    @Override
    public void beforeSend(List<SourceRecord> batch) {
        long deadline = System.nanoTime() + waitNanos;
        int late = 0;
        boolean interrupted = false;
        for (SourceRecord record : batch) {
            if (!(record instanceof TrackedRecord tracked) || !(tracked.admissionWork() instanceof GroupMark.Ticket ticket)) {
                continue;
            }
            GroupMark group = ticket.group();
            if (!group.isDone()) {
                try {
                    if (interrupted || !group.await(deadline - System.nanoTime())) {
                        late++;
                        continue;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the worker is stopping the task: no more waiting
                    late++;
                    continue;
                }
            }
            DedupStore.Mark mark = group.markOf(ticket.index());
            if (mark != null) {
                record.headers().addString(ErrorHeaders.DEDUP_HASH, ticket.hash());
                record.headers().addString(ErrorHeaders.DEDUP_MARK, mark.name());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (late > 0) {
            warnLate(late);
        }
    }

    private void warnLate(int late) {
        long now = System.currentTimeMillis();
        if (now - lastWarn > WARN_EVERY_MS) {
            lastWarn = now;
            log.warn("De-duplication pre-mark: {} mark(s) not back from Redis within {} ms; the transform decides for them",
                    late, TimeUnit.NANOSECONDS.toMillis(waitNanos));
        }
    }

    @Override
    public void close() {
        if (marking != null) {
            marking.close();
        }
    }
}
