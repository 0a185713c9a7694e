package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupSettings;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Step 2 of the de-duplication mark, done by the source task: after Kafka acknowledged a record (Connect's
 * producer callback, before the client is answered) its mark becomes <em>confirmed</em>, in pipelined
 * {@link DedupStore#confirmAll} round trips on the task's own confirming thread
 * ({@code <connector>-<task>-dedup-confirm}). Used with {@code transforms.<alias>.confirm.mode=external}.
 *
 * <p>Why not the transform's {@code confirm.mode=topic}: that re-reads every written record from Kafka
 * (a consumer in the worker, fetches on the broker) only to learn what the producer callback already says;
 * measured with both transforms on, that cost more CPU per event than the marking itself (connectors/event-source
 * README, "Benchmark"). Records routed to {@code dlq.topic} are not confirmed (they were not accepted).
 *
 * <p>The key is the {@code event-pipeline.dedup.hash} header the pre-mark put on the record, else the hash of its
 * eventId (the transform marked it itself); records without either are not DeduplicateEvent's. A confirmation that
 * cannot reach Redis is retried with backoff and given up after {@link #MAX_ATTEMPTS}: the mark stays pending and
 * expires, so a retry of the event is written again (at-least-once; ClickHouse's ReplacingMergeTree collapses it),
 * never dropped.
 */
public final class DedupConfirmer implements DurableWriteListener {
    private static final Logger log = LoggerFactory.getLogger(DedupConfirmer.class);
    static final int MAX_PER_ROUND_TRIP = 2_000;
    static final int MAX_ATTEMPTS = 20;
    private static final long CLOSE_WAIT_MS = 2_000;

    /** The Redis side: {@link DedupStore#confirmAll}. */
    @FunctionalInterface
    interface Store extends AutoCloseable {
        void confirmAll(List<DedupStore.Confirmation> confirmations);

        @Override
        default void close() {
        }
    }

    private final LinkedBlockingQueue<DedupStore.Confirmation> waiting = new LinkedBlockingQueue<>();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();
    private Store store;
    private String dlqTopic;
    private long backoffMs;
    private Thread thread;
    private volatile boolean closed;

    public DedupConfirmer() {
    }

    /** With a given store (tests). */
    DedupConfirmer(Store store, String dlqTopic, long backoffMs) {
        start("dedup-confirm-test", store, dlqTopic, backoffMs);
    }

    private void start(String threadName, Store store, String dlqTopic, long backoffMs) {
        this.store = store;
        this.dlqTopic = dlqTopic;
        this.backoffMs = backoffMs;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void configure(Map<String, String> taskConfig) {
        String hook = EventSourceConfig.DURABLE_WRITE_LISTENER + "=" + getClass().getName();
        DedupTransformSettings dedup = DedupTransformSettings.of(taskConfig, hook);
        String modeKey = dedup.prefix() + "confirm.mode";
        String mode = taskConfig.getOrDefault(modeKey, "topic");
        if (!"external".equals(mode.toLowerCase(Locale.ROOT))) {
            throw new ConfigException(modeKey, mode, hook + " confirms the marks itself: set " + modeKey
                    + "=external (with topic the transform would confirm every mark a second time)");
        }
        DedupStore redis = DedupSettings.store(dedup.settings()); // used by the confirming thread only
        start(dedup.taskName() + "-dedup-confirm", new Store() {
            @Override
            public void confirmAll(List<DedupStore.Confirmation> confirmations) {
                redis.confirmAll(confirmations);
            }

            @Override
            public void close() {
                redis.close();
            }
        }, taskConfig.get(EventSourceConfig.DLQ_TOPIC), dedup.settings().getLong(DedupSettings.REDIS_RETRY_BACKOFF_MS));
        log.info("De-duplication confirmation on, after each durable write (transform {}, Redis {})", dedup.prefix(),
                dedup.settings().getString(DedupSettings.REDIS_URL));
    }

    /** Producer callback thread: queues the confirmation; never waits. */
    @Override
    public void onDurablyWritten(SourceRecord original, RecordMetadata metadata) {
        if (closed || metadata == null || metadata.topic().equals(dlqTopic)) {
            return;
        }
        String eventId = original instanceof TrackedRecord tracked ? tracked.eventId() : null;
        Header hashHeader = original.headers().lastWithName(ErrorHeaders.DEDUP_HASH);
        String hash = hashHeader != null && hashHeader.value() != null ? hashHeader.value().toString()
                : eventId != null ? DedupKeys.hashOfId(eventId) : null;
        if (hash != null) {
            waiting.add(new DedupStore.Confirmation(hash, eventId));
        }
    }

    private void run() {
        List<DedupStore.Confirmation> round = new ArrayList<>();
        try {
            while (!closed) {
                DedupStore.Confirmation first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                round.add(first);
                waiting.drainTo(round, MAX_PER_ROUND_TRIP - 1);
                confirm(round);
                round.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round trip, retried with backoff; given up after {@link #MAX_ATTEMPTS} (the marks stay pending). */
    private void confirm(List<DedupStore.Confirmation> round) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                store.confirmAll(round);
                confirmed.addAndGet(round.size());
                return;
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || closed) {
                    givenUp.addAndGet(round.size());
                    log.warn("Giving up confirming {} de-duplication mark(s) after {} attempts ({}): they stay pending "
                            + "and expire, so retries of those events are written again", round.size(), attempt, e.toString());
                    return;
                }
                if (attempt == 1) {
                    log.warn("Confirming {} de-duplication mark(s) failed ({}); retrying every {} ms", round.size(),
                            e.toString(), backoffMs);
                }
                TimeUnit.MILLISECONDS.sleep(backoffMs);
            }
        }
    }

    long confirmed() {
        return confirmed.get();
    }

    long givenUp() {
        return givenUp.get();
    }

    /** Stops the thread (after its current round trip, bounded), confirms what is left once, closes the client. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<DedupStore.Confirmation> left = new ArrayList<>();
        waiting.drainTo(left);
        try {
            if (!left.isEmpty()) {
                store.confirmAll(left); // the records are in Kafka: worth one last round trip
                confirmed.addAndGet(left.size());
            }
        } catch (RuntimeException e) {
            givenUp.addAndGet(left.size());
            log.info("{} de-duplication mark(s) left pending at stop ({})", left.size(), e.toString());
        }
        try {
            store.close();
        } catch (Exception e) {
            log.debug("Closing the confirmation store: {}", e.toString());
        }
    }
}
