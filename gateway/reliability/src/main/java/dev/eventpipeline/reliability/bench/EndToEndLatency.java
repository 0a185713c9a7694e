package dev.eventpipeline.reliability.bench;

import dev.eventpipeline.reliability.load.AckBook;
import dev.eventpipeline.reliability.load.LatencyRecorder;
import dev.eventpipeline.reliability.process.ProcessPipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * End-to-end latency, client send → row visible in ClickHouse: the load keeps the send time of every
 * n-th accepted event ({@link AckBook#samples()}); this poller asks ClickHouse every 100 ms which of
 * them are visible in {@code events_raw} (primary-key lookups) and records now − send time. Resolution
 * is the poll interval plus the query time (reported with the result).
 */
final class EndToEndLatency implements AutoCloseable {
    static final long POLL_MS = 100;

    private final ProcessPipeline pipeline;
    private final AckBook book;
    private final LatencyRecorder histogram = new LatencyRecorder();
    private final Thread thread;
    private volatile long maxQueryMs;

    EndToEndLatency(ProcessPipeline pipeline, AckBook book) {
        this.pipeline = pipeline;
        this.book = book;
        this.thread = new Thread(this::loop, "e2e-latency");
        thread.setDaemon(true);
    }

    EndToEndLatency start() {
        thread.start();
        return this;
    }

    LatencyRecorder histogram() {
        return histogram;
    }

    long maxQueryMs() {
        return maxQueryMs;
    }

    int pending() {
        return book.samples().size();
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                poll();
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // ClickHouse busy: try again next round
            }
        }
    }

    void poll() throws Exception {
        Map<String, Long> samples = book.samples();
        List<String> ids = new ArrayList<>(samples.keySet());
        if (ids.isEmpty()) {
            return;
        }
        if (ids.size() > 2000) {
            ids = ids.subList(0, 2000);
        }
        StringBuilder sql = new StringBuilder("SELECT event_id FROM event_pipeline.events_raw WHERE event_id IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "'" : ",'").append(ids.get(i)).append('\'');
        }
        sql.append(") FORMAT TabSeparated");
        long t0 = System.currentTimeMillis();
        String found = pipeline.clickHouse().query(sql.toString());
        long now = System.currentTimeMillis();
        maxQueryMs = Math.max(maxQueryMs, now - t0);
        for (String id : found.split("\n")) {
            Long sent = id.isEmpty() ? null : samples.remove(id);
            if (sent != null) {
                histogram.recordNanos((now - sent) * 1_000_000L);
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
