package dev.eventpipeline.ingest;

import dev.eventpipeline.ingest.config.EventSourceConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source connector that receives cart events pushed by clients over HTTP ({@code POST /events};
 * WebSocket in a later issue) and writes each to Kafka, answering the client only after Kafka has
 * acknowledged the record. The work happens in {@link EventSourceTask}.
 *
 * <p>At most one task: every task would bind the same {@code listener.host:listener.port}, so a
 * second task on the same worker would fail to bind, and tasks on different workers would each
 * need clients to know where they run. Port-per-task or a shared listener is a later issue; until
 * then {@code tasks.max} above 1 still yields one task (and a warning).
 */
public class EventSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(EventSourceConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new EventSourceConfig(props); // fail fast with the offending key
        this.props = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return EventSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        if (maxTasks > 1) {
            log.warn("tasks.max={} but the event-source connector runs one task: all tasks would bind the same "
                    + "listener port (port-per-task / shared listener is not implemented yet)", maxTasks);
        }
        Map<String, String> task = new HashMap<>(props);
        task.put(EventSourceTask.TASK_ID, "0");
        return List.of(task);
    }

    @Override
    public void stop() {
        // The connector holds no resources: the listener belongs to the task.
    }

    @Override
    public ConfigDef config() {
        return EventSourceConfig.configDef();
    }

    /** Per-key validation from the ConfigDef, plus the checks between keys. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        config.configValues().forEach(v -> byName.put(v.name(), v));
        ConfigValue event = byName.get(EventSourceConfig.MAX_EVENT_BYTES);
        ConfigValue request = byName.get(EventSourceConfig.MAX_REQUEST_BYTES);
        if (event != null && request != null && event.errorMessages().isEmpty() && request.errorMessages().isEmpty()
                && event.value() instanceof Integer eventBytes && request.value() instanceof Integer requestBytes) {
            Optional<String> problem = EventSourceConfig.crossCheck(eventBytes, requestBytes);
            problem.ifPresent(event::addErrorMessage);
        }
        return config;
    }

    /**
     * A push source cannot offer exactly-once delivery: clients retry until answered, so a retry of an
     * event whose first attempt was written is a duplicate (removed by de-duplication downstream).
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.UNSUPPORTED;
    }
}
