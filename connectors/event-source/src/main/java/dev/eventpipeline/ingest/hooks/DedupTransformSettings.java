package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.schema.dedup.DedupSettings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

import java.util.HashMap;
import java.util.Map;

/**
 * The connector's DeduplicateEvent settings ({@code transforms.<alias>.*}), read through the transform's own
 * definitions and defaults ({@link DedupSettings}) for the task-side de-duplication hooks (the pre-mark and the
 * confirmation), so that the hooks and the transform cannot read them differently. Both hooks key events by
 * their {@code eventId}, the only key the task knows without parsing the event.
 */
record DedupTransformSettings(String prefix, AbstractConfig settings, String taskName) {
    static final String TRANSFORM_CLASS = "dev.eventpipeline.smt.DeduplicateEvent";

    /**
     * @param hook how the hook is configured, e.g. {@code poll.batch.hook.class=...DedupPreMarker}, for messages
     */
    static DedupTransformSettings of(Map<String, String> taskConfig, String hook) {
        String prefix = transformPrefix(taskConfig, hook);
        Map<String, String> transformConfig = new HashMap<>();
        taskConfig.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                transformConfig.put(k.substring(prefix.length()), v);
            }
        });
        AbstractConfig settings;
        try {
            settings = DedupSettings.parse(transformConfig);
        } catch (ConfigException e) {
            throw new ConfigException(hook + " reads the transform's settings (" + prefix + "*): " + e.getMessage());
        }
        String keyField = settings.getString(DedupSettings.KEY_FIELD);
        if (!"eventId".equals(keyField)) {
            throw new ConfigException(prefix + DedupSettings.KEY_FIELD, keyField,
                    hook + " keys events by eventId; remove it or key by eventId");
        }
        String task = taskConfig.getOrDefault("name", "event-source") + "-" + taskConfig.getOrDefault("task.id", "0");
        return new DedupTransformSettings(prefix, settings, task);
    }

    /** {@code transforms.<alias>.} of the connector's DeduplicateEvent transform. */
    static String transformPrefix(Map<String, String> taskConfig, String hook) {
        return taskConfig.entrySet().stream()
                .filter(e -> e.getKey().startsWith("transforms.") && e.getKey().endsWith(".type")
                        && TRANSFORM_CLASS.equals(e.getValue()))
                .map(e -> e.getKey().substring(0, e.getKey().length() - "type".length()))
                .findFirst()
                .orElseThrow(() -> new ConfigException(hook + " needs a DeduplicateEvent transform (" + TRANSFORM_CLASS
                        + ") on this connector"));
    }
}
