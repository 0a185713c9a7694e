package dev.eventpipeline.reliability.load;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients were told: counts by answer, ack latency, and (for the fault suite) the id of every
 * event answered {@code accepted}, the set that must be in ClickHouse afterwards. The benchmark keeps
 * only counts and a sample of send times (millions of ids would measure the client's heap).
 */
public final class AckBook {
    private final boolean keepIds;
    private final int sampleEvery;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    /** Sampled accepted events: id → wall-clock millis of the scheduled send. */
    private final Map<String, Long> samples = new ConcurrentHashMap<>();
    final LongAdder sent = new LongAdder();
    final LongAdder acceptedCount = new LongAdder();
    final LongAdder duplicate = new LongAdder();
    final LongAdder invalid = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder transportErrors = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LatencyRecorder ackLatency = new LatencyRecorder();
    private final AtomicLong lastAcceptedMillis = new AtomicLong();

    /**
     * @param keepIds     keep every accepted id (fault suite)
     * @param sampleEvery keep the send time of every n-th accepted event for end-to-end latency (0: none)
     */
    public AckBook(boolean keepIds, int sampleEvery) {
        this.keepIds = keepIds;
        this.sampleEvery = sampleEvery;
    }

    void answer(String eventId, long seq, String status, long sentWallMillis, long latencyNanos) {
        switch (status) {
            case "accepted" -> {
                acceptedCount.increment();
                lastAcceptedMillis.set(System.currentTimeMillis());
                if (keepIds) {
                    accepted.add(eventId);
                }
                if (sampleEvery > 0 && seq % sampleEvery == 0) {
                    samples.put(eventId, sentWallMillis);
                }
            }
            case "duplicate" -> duplicate.increment();
            case "invalid" -> invalid.increment();
            default -> failed.increment();
        }
        if (latencyNanos >= 0) {
            ackLatency.recordNanos(latencyNanos);
        }
    }

    public Set<String> acceptedIds() {
        return accepted;
    }

    /** Sampled accepted events and their send times; the consumer removes what it has measured. */
    public Map<String, Long> samples() {
        return samples;
    }

    public long lastAcceptedMillis() {
        return lastAcceptedMillis.get();
    }

    public long sent() {
        return sent.sum();
    }

    public long accepted() {
        return acceptedCount.sum();
    }

    public long duplicate() {
        return duplicate.sum();
    }

    public long invalid() {
        return invalid.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long transportErrors() {
        return transportErrors.sum();
    }

    public long retried() {
        return retried.sum();
    }

    public LatencyRecorder ackLatency() {
        return ackLatency;
    }
}
