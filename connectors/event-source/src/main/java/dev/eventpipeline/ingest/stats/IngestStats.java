package dev.eventpipeline.ingest.stats;

import dev.eventpipeline.ingest.protocol.EventResult;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counters of one task: events by final status, a latency histogram (receive to answer, for events
 * Kafka answered), and a 60-second window of per-second counts for rates. Read by
 * {@code GET /events/stats} and by the task's Connect plugin metrics (JMX / metrics reporters).
 */
public final class IngestStats {
    /** Histogram resolution: 100 µs buckets up to 10 s, then one overflow bucket. */
    static final int BUCKET_MICROS = 100;
    static final int BUCKETS = 100_000;
    static final int WINDOW_SECONDS = 60;

    private final Map<EventResult.Status, LongAdder> counts = new EnumMap<>(EventResult.Status.class);
    private final Map<EventResult.Status, AtomicLongArray> perSecond = new EnumMap<>(EventResult.Status.class);
    private final AtomicLongArray secondOfSlot = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS + 1);
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencySumMicros = new LongAdder();
    private volatile long latencyMaxMicros;
    private final AtomicInteger wsConnections = new AtomicInteger();
    private final LongAdder wsConnectionsTotal = new LongAdder();
    private final LongAdder rejectedRequests = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final LongAdder slowClientsClosed = new LongAdder();
    private final long startedMillis = System.currentTimeMillis();
    private volatile IntSupplier queued = () -> 0;
    private volatile IntSupplier inFlight = () -> 0;
    private volatile IntSupplier httpConnections = () -> 0;
    private volatile java.util.function.LongConsumer latencyListener = nanos -> { };

    public IngestStats() {
        for (EventResult.Status s : EventResult.Status.values()) {
            counts.put(s, new LongAdder());
            perSecond.put(s, new AtomicLongArray(WINDOW_SECONDS));
        }
    }

    public void gauges(IntSupplier queued, IntSupplier inFlight, IntSupplier httpConnections) {
        this.queued = queued;
        this.inFlight = inFlight;
        this.httpConnections = httpConnections;
    }

    public void record(EventResult.Status status) {
        counts.get(status).increment();
        long second = System.currentTimeMillis() / 1000;
        int slot = (int) (second % WINDOW_SECONDS);
        long owner = secondOfSlot.get(slot);
        if (owner != second && secondOfSlot.compareAndSet(slot, owner, second)) {
            for (AtomicLongArray a : perSecond.values()) {
                a.set(slot, 0);
            }
        }
        perSecond.get(status).incrementAndGet(slot);
    }

    /** Also told every latency recorded (the Micrometer timer of {@link IngestMeters}). */
    public void latencyListener(java.util.function.LongConsumer listener) {
        this.latencyListener = listener;
    }

    public void recordLatencyNanos(long nanos) {
        latencyListener.accept(nanos);
        long micros = Math.max(0, nanos / 1000);
        int bucket = (int) Math.min(BUCKETS, micros / BUCKET_MICROS);
        latency.incrementAndGet(bucket);
        latencyCount.increment();
        latencySumMicros.add(micros);
        if (micros > latencyMaxMicros) {
            latencyMaxMicros = micros;
        }
    }

    public void wsOpened() {
        wsConnections.incrementAndGet();
        wsConnectionsTotal.increment();
    }

    public void wsClosed() {
        wsConnections.decrementAndGet();
    }

    public void requestRejected() {
        rejectedRequests.increment();
    }

    public void unauthorized() {
        unauthorized.increment();
    }

    public long rejectedRequests() {
        return rejectedRequests.sum();
    }

    /** A connection was closed because its request head did not arrive in time (slow-loris). */
    public void slowClientClosed() {
        slowClientsClosed.increment();
    }

    public long slowClientsClosed() {
        return slowClientsClosed.sum();
    }

    public long unauthorizedRequests() {
        return unauthorized.sum();
    }

    public long count(EventResult.Status status) {
        return counts.get(status).sum();
    }

    /** Events per second with {@code status} over the last {@code seconds} complete seconds (≤ 59). */
    public double rate(EventResult.Status status, int seconds) {
        long now = System.currentTimeMillis() / 1000;
        AtomicLongArray a = perSecond.get(status);
        long sum = 0;
        for (int i = 1; i <= seconds; i++) {
            long second = now - i;
            int slot = (int) (second % WINDOW_SECONDS);
            if (secondOfSlot.get(slot) == second) {
                sum += a.get(slot);
            }
        }
        return (double) sum / seconds;
    }

    /** Latency percentile in milliseconds (upper bound of the bucket), 0 when nothing was measured. */
    public double latencyPercentileMs(double percentile) {
        long total = latencyCount.sum();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += latency.get(i);
            if (seen >= rank) {
                return i == BUCKETS ? latencyMaxMicros / 1000.0 : (i + 1) * BUCKET_MICROS / 1000.0;
            }
        }
        return latencyMaxMicros / 1000.0;
    }

    public double latencyMaxMs() {
        return latencyMaxMicros / 1000.0;
    }

    public double latencyMeanMs() {
        long n = latencyCount.sum();
        return n == 0 ? 0 : latencySumMicros.sum() / 1000.0 / n;
    }

    public int wsConnections() {
        return wsConnections.get();
    }

    public int httpConnections() {
        return httpConnections.getAsInt();
    }

    public int queued() {
        return queued.getAsInt();
    }

    public int inFlight() {
        return inFlight.getAsInt();
    }

    /** The body of {@code GET /events/stats}. */
    public String toJson(String task) {
        StringBuilder out = new StringBuilder(512);
        out.append("{\"task\":\"").append(task).append("\",\"uptimeSeconds\":")
                .append((System.currentTimeMillis() - startedMillis) / 1000).append(",\"counts\":{");
        appendPerStatus(out, s -> Long.toString(count(s)));
        out.append("},\"ratesPerSecond10s\":{");
        appendPerStatus(out, s -> String.format(java.util.Locale.ROOT, "%.1f", rate(s, 10)));
        out.append("},\"ackLatencyMs\":{")
                .append(String.format(java.util.Locale.ROOT, "\"p50\":%.1f,\"p95\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"mean\":%.2f",
                        latencyPercentileMs(50), latencyPercentileMs(95), latencyPercentileMs(99), latencyMaxMs(), latencyMeanMs()))
                .append("},\"connections\":{\"websocket\":").append(wsConnections())
                .append(",\"websocketTotal\":").append(wsConnectionsTotal.sum())
                .append(",\"http\":").append(httpConnections())
                .append("},\"queued\":").append(queued())
                .append(",\"inFlight\":").append(inFlight())
                .append(",\"rejectedRequests\":").append(rejectedRequests.sum())
                .append(",\"unauthorized\":").append(unauthorized.sum())
                .append(",\"slowClientsClosed\":").append(slowClientsClosed.sum())
                .append('}');
        return out.toString();
    }

    private static void appendPerStatus(StringBuilder out, java.util.function.Function<EventResult.Status, String> value) {
        boolean first = true;
        for (EventResult.Status s : EventResult.Status.values()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(s.wire()).append("\":").append(value.apply(s));
        }
    }
}
