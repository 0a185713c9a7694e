package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Creates the data contract's topics (idempotently: existing topics are left as they are). */
public final class TopicProvisioner {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    /** Partitions of the event topics: one per core of the machine these targets were measured on. */
    static final int EVENT_PARTITIONS = 2;

    private TopicProvisioner() {
    }

    static List<NewTopic> contractTopics() {
        List<NewTopic> topics = new java.util.ArrayList<>(List.of(
                new NewTopic(Topics.RAW, EVENT_PARTITIONS, (short) 1),
                new NewTopic(Topics.VALIDATED, EVENT_PARTITIONS, (short) 1),
                new NewTopic(Topics.ENRICHED, EVENT_PARTITIONS, (short) 1),
                new NewTopic(Topics.DLQ, 1, (short) 1),
                new NewTopic(Topics.ALERTS, 1, (short) 1),
                new NewTopic(Topics.SCHEMAS, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        // Enrichment (issue #6): route and profile-update topics written by ksql/migrations (or its embedded twin).
        for (String topic : Topics.ENRICHMENT_OUTPUTS) {
            NewTopic t = new NewTopic(topic, EVENT_PARTITIONS, (short) 1);
            // the profile tables: only the latest value per user matters
            if (topic.equals(Topics.USER_PROFILE_PURCHASES) || topic.equals(Topics.USER_PROFILE_PURCHASE_HISTORY)) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(t);
        }
        return List.copyOf(topics);
    }

    public static Set<String> createContractTopics(String bootstrapServers) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (NewTopic topic : contractTopics()) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    log.info("Created topic {} ({} partition(s))", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + topic.name() + " failed: "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            return admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing topics failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
