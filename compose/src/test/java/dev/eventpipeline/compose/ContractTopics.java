package dev.eventpipeline.compose;

import dev.eventpipeline.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The data contract's topics, one partition each (the schemas topic compacted), for the compose ITs' broker. */
public final class ContractTopics {
    private ContractTopics() {
    }

    public static void create(String bootstrapServers) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : List.of(Topics.RAW, Topics.VALIDATED, Topics.ENRICHED, Topics.DLQ)) {
            topics.add(new NewTopic(t, 1, (short) 1));
        }
        Topics.ENRICHMENT_OUTPUTS.forEach(t -> topics.add(new NewTopic(t, 1, (short) 1)));
        topics.add(new NewTopic(Topics.SCHEMAS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(topics).all().get();
        }
    }

}
