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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source connector that receives cart events pushed by clients over WebSocket
 * ({@code /events/stream}) and HTTP ({@code POST /events}, {@code POST /events/batch}) and writes each
 * to Kafka, answering the client only after Kafka has acknowledged the record. The work happens in
 * {@link EventSourceTask}.
 *
 * <p>Port per task: task {@code i} listens on {@code listener.port + i}, so {@code tasks.max} tasks
 * on one worker never clash, and a load balancer in front of the port range spreads clients over
 * whichever tasks run (each task answers {@code GET /events/stats}, usable as a health check).
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
        List<Map<String, String>> tasks = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(EventSourceTask.TASK_ID, Integer.toString(i));
            tasks.add(task);
        }
        if (maxTasks > 1) {
            int base = new EventSourceConfig(props).listenerPort();
            log.info("{} tasks listen on ports {}..{}", maxTasks, EventSourceConfig.portOfTask(base, 0),
                    EventSourceConfig.portOfTask(base, maxTasks - 1));
        }
        return tasks;
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
        ConfigValue batch = byName.get(EventSourceConfig.MAX_BATCH_EVENTS);
        ConfigValue capacity = byName.get(EventSourceConfig.QUEUE_CAPACITY);
        if (batch != null && capacity != null && batch.errorMessages().isEmpty() && capacity.errorMessages().isEmpty()
                && batch.value() instanceof Integer b && capacity.value() instanceof Integer c) {
            EventSourceConfig.batchCheck(b, c).ifPresent(batch::addErrorMessage);
        }
        ConfigValue port = byName.get(EventSourceConfig.LISTENER_PORT);
        String tasksMax = connectorConfigs.get("tasks.max");
        if (port != null && port.errorMessages().isEmpty() && port.value() instanceof Integer p && tasksMax != null) {
            try {
                int n = Integer.parseInt(tasksMax.trim());
                if (p != 0 && p + n - 1 > 65535) {
                    port.addErrorMessage("task i listens on " + EventSourceConfig.LISTENER_PORT + " + i: with tasks.max="
                            + n + " the last port would be " + (p + n - 1) + ", above 65535");
                }
            } catch (NumberFormatException ignored) {
                // Connect reports tasks.max itself
            }
        }
        ConfigValue keystore = byName.get(EventSourceConfig.TLS_KEYSTORE_PATH);
        ConfigValue password = byName.get(EventSourceConfig.TLS_KEYSTORE_PASSWORD);
        if (keystore != null && password != null && keystore.value() instanceof String path) {
            EventSourceConfig.tlsCheck(path, (org.apache.kafka.common.config.types.Password) password.value())
                    .ifPresent(password::addErrorMessage);
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
