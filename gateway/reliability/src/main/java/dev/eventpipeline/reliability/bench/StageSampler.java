package dev.eventpipeline.reliability.bench;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.ksql.EnrichmentRuntime;
import dev.eventpipeline.reliability.load.AckBook;
import dev.eventpipeline.reliability.process.ProcessPipeline;
import dev.eventpipeline.embedded.ProcessStats;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Once a second: how far each stage has got (client acks, validated topic, enrichment output, rows in
 * ClickHouse), each consumer's lag (sink connectors, enrichment), and CPU and RSS of every process.
 * The samples give per-stage sustained rates and whether a backlog grows.
 */
final class StageSampler implements AutoCloseable {
    /** Consumer groups whose lag is a stage's backlog, and the topic each reads. */
    static final Map<String, String> GROUPS = Map.of(
            "connect-clickhouse-sink-raw", Topics.VALIDATED,
            "connect-clickhouse-sink-processed", Topics.ENRICHED,
            EnrichmentRuntime.APPLICATION_ID, Topics.VALIDATED);

    record Sample(long millis, long acked, long validated, long enriched, long rawRows, long processedRows,
                  Map<String, Long> lag, Map<String, Double> cpuSeconds, Map<String, Long> rssKib) {
    }

    private final ProcessPipeline pipeline;
    private final AckBook book;
    private final Admin admin;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;

    StageSampler(ProcessPipeline pipeline, AckBook book) {
        this.pipeline = pipeline;
        this.book = book;
        this.admin = Admin.create(Map.of("bootstrap.servers", pipeline.layout().bootstrapServers()));
        this.thread = new Thread(this::loop, "stage-sampler");
        thread.setDaemon(true);
    }

    StageSampler start() {
        thread.start();
        return this;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            long t0 = System.currentTimeMillis();
            try {
                Sample s = sample();
                synchronized (this) {
                    samples.add(s);
                }
            } catch (Exception e) {
                // a missed sample is visible as a gap; keep sampling
            }
            long wait = 1000 - (System.currentTimeMillis() - t0);
            try {
                Thread.sleep(Math.max(10, wait));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    Sample sample() throws Exception {
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> ends = endOffsets(Set.of(Topics.VALIDATED, Topics.ENRICHED));
        Map<String, Long> lag = new LinkedHashMap<>();
        for (Map.Entry<String, String> g : GROUPS.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.getKey())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            long l = 0;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                if (e.getKey().topic().equals(g.getValue())) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    l += e.getValue() - (c == null ? 0 : c.offset());
                }
            }
            lag.put(g.getKey(), l);
        }
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        pipeline.pids().forEach((name, pid) -> {
            cpu.put(name, ProcessStats.cpuSeconds(pid));
            rss.put(name, ProcessStats.rssKib(pid));
        });
        long self = ProcessHandle.current().pid();
        cpu.put("load generator", ProcessStats.cpuSeconds(self));
        rss.put("load generator", ProcessStats.rssKib(self));
        return new Sample(now, book.accepted(), sum(ends, Topics.VALIDATED), sum(ends, Topics.ENRICHED),
                rows("events_raw"), rows("events_processed"), lag, cpu, rss);
    }

    private long rows(String table) {
        try {
            // Plain count() (no FINAL) is answered from part metadata: cheap enough for 1 Hz.
            return Long.parseLong(pipeline.clickHouse().query("SELECT count() FROM event_pipeline." + table + " FORMAT TabSeparated").trim());
        } catch (Exception e) {
            return -1;
        }
    }

    private Map<TopicPartition, Long> endOffsets(Set<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).forEach((t, d) ->
                d.partitions().forEach(p -> spec.put(new TopicPartition(t, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(spec).all().get(5, TimeUnit.SECONDS).forEach((tp, r) -> out.put(tp, r.offset()));
        return out;
    }

    private static long sum(Map<TopicPartition, Long> ends, String topic) {
        return ends.entrySet().stream().filter(e -> e.getKey().topic().equals(topic)).mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public void close() {
        thread.interrupt();
        admin.close();
    }
}
