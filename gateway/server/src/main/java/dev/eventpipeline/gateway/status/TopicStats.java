package dev.eventpipeline.gateway.status;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Topic sizes and consumer lag from the broker's own bookkeeping (the Admin API), so lag is what
 * the broker knows, not what a component claims.
 */
public final class TopicStats {
    private static final long TIMEOUT_MS = 3000;
    private final Admin admin;

    public TopicStats(Admin admin) {
        this.admin = admin;
    }

    /** Records currently held per topic (end offset minus start offset, summed over partitions). */
    public Map<String, Long> retainedRecords(Collection<String> topics) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<String, Long> out = new TreeMap<>();
        ends.forEach((tp, end) -> out.merge(tp.topic(), end.offset() - starts.get(tp).offset(), Long::sum));
        return out;
    }

    /** Lag per consumer group and topic for the groups whose id starts with {@code prefix} (Connect sinks: {@code connect-}). */
    public Map<String, Map<String, Long>> lag(String prefix) throws ExecutionException, InterruptedException, TimeoutException {
        Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (ConsumerGroupListing g : groups) {
            if (!g.groupId().startsWith(prefix)) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<String, Long> perTopic = new TreeMap<>();
            committed.forEach((tp, offset) -> {
                long committedOffset = offset == null ? 0 : offset.offset();
                perTopic.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - committedOffset), Long::sum);
            });
            out.put(g.groupId(), perTopic);
        }
        return out;
    }

}
