package dev.eventpipeline.reliability.load;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free latency histogram with logarithmic buckets (2 % wide) from 1 µs to hours: an overloaded
 * pipeline has latencies of minutes, which a linear histogram capped at a few seconds would flatten
 * into its overflow bucket. Percentiles are the upper bound of their bucket (at most 2 % high).
 */
public final class LatencyRecorder {
    private static final double GROWTH = 1.02;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final int BUCKETS = (int) Math.ceil(Math.log(4.0 * 3600 * 1_000_000) / LOG_GROWTH) + 1;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

    public void recordNanos(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        buckets.incrementAndGet(Math.min(BUCKETS - 1, (int) (Math.log(micros) / LOG_GROWTH)));
        count.increment();
        maxMicros.accumulate(micros);
    }

    public long count() {
        return count.sum();
    }

    public double percentileMs(double percentile) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return Math.min(maxMs(), Math.pow(GROWTH, i + 1) / 1000.0);
            }
        }
        return maxMs();
    }

    public double maxMs() {
        return maxMicros.get() / 1000.0;
    }
}
