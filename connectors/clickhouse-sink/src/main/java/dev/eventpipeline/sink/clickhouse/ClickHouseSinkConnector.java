package dev.eventpipeline.sink.clickhouse;

import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;
import dev.eventpipeline.sink.clickhouse.config.TopicTableMapping;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkTask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes cart events from Kafka topics into ClickHouse tables (see the module README). Every task
 * gets the connector's configuration unchanged; the worker spreads the topic partitions.
 */
public class ClickHouseSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new ClickHouseSinkConfig(props); // fail fast with the validator's message
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ClickHouseSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {
        // nothing held: tasks own their HTTP clients
    }

    @Override
    public ConfigDef config() {
        return ClickHouseSinkConfig.configDef();
    }

    /**
     * Per-key validation from the ConfigDef, plus: every topic listed in {@code topics} must have an
     * entry in {@code topics.tables} (with {@code topics.regex} this is checked per record instead).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        ConfigValue topicsTables = config.configValues().stream()
                .filter(v -> v.name().equals(ClickHouseSinkConfig.TOPICS_TABLES))
                .findFirst().orElse(null);
        String topics = connectorConfigs.get(SinkTask.TOPICS_CONFIG);
        if (topicsTables == null || !topicsTables.errorMessages().isEmpty() || topics == null || topics.isBlank()) {
            return config;
        }
        List<String> entries = Arrays.stream(String.valueOf(connectorConfigs.getOrDefault(
                        ClickHouseSinkConfig.TOPICS_TABLES, ClickHouseSinkConfig.TOPICS_TABLES_DEFAULT)).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        TopicTableMapping mapping = TopicTableMapping.parse(entries);
        for (String topic : topics.split(",")) {
            String t = topic.trim();
            if (!t.isEmpty() && mapping.tableFor(t).isEmpty()) {
                topicsTables.addErrorMessage("topic '" + t + "' (listed in topics) has no table: add '" + t
                        + ":<table>' to " + ClickHouseSinkConfig.TOPICS_TABLES);
            }
        }
        return config;
    }
}
