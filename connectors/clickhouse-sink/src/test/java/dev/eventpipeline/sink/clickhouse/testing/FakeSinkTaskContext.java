package dev.eventpipeline.sink.clickhouse.testing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import java.util.concurrent.CompletableFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Records what a task asks of the worker. */
public final class FakeSinkTaskContext implements SinkTaskContext {
    public final List<Long> timeouts = new ArrayList<>();
    /** Offsets the task asked the worker to rewind to. */
    public final List<Map<TopicPartition, Long>> rewinds = new ArrayList<>();
    /** Records reported as errant, with their errors; null reporter when {@link #withoutReporter}. */
    public final List<SinkRecord> reported = new ArrayList<>();
    public final List<Throwable> reportedErrors = new ArrayList<>();
    private boolean reporter = true;
    private PluginMetrics metrics;

    public FakeSinkTaskContext withoutReporter() {
        reporter = false;
        return this;
    }

    public FakeSinkTaskContext withMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!reporter) {
            return null;
        }
        return (record, error) -> {
            reported.add(record);
            reportedErrors.add(error);
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        rewinds.add(Map.copyOf(offsets));
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
    }

    @Override
    public void timeout(long timeoutMs) {
        timeouts.add(timeoutMs);
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics;
    }

    public Long lastTimeout() {
        return timeouts.isEmpty() ? null : timeouts.get(timeouts.size() - 1);
    }
}
