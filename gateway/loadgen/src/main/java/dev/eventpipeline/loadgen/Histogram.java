package dev.eventpipeline.loadgen;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free latency histogram: 50 µs buckets up to 10 s plus an overflow bucket, exact max. */
public final class Histogram {
    static final int BUCKET_MICROS = 50;
    static final int BUCKETS = 200_000;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS + 1);
    private final LongAdder count = new LongAdder();
    private volatile long maxMicros;

    public void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        buckets.incrementAndGet((int) Math.min(BUCKETS, micros / BUCKET_MICROS));
        count.increment();
        if (micros > maxMicros) {
            synchronized (this) {
                if (micros > maxMicros) {
                    maxMicros = micros;
                }
            }
        }
    }

    public long count() {
        return count.sum();
    }

    /** Upper bound of the bucket holding the given percentile, in milliseconds. */
    public double percentileMs(double percentile) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return i == BUCKETS ? maxMs() : Math.min(maxMs(), (i + 1) * BUCKET_MICROS / 1000.0);
            }
        }
        return maxMs();
    }

    public double maxMs() {
        return maxMicros / 1000.0;
    }
}
