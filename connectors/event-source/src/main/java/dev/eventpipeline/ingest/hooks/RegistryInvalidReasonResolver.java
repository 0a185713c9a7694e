package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.schema.EventValidator;
import dev.eventpipeline.schema.KafkaSchemaLog;
import dev.eventpipeline.schema.SchemaRegistry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Tells the client why ValidateEvent routed its event to the DLQ by running the same validator on
 * the same schemas (read from the registry's compacted topic): the reason equals the
 * {@code __connect.errors.reason} header of the DLQ record. Only DLQ-routed events are validated
 * again, so the cost stays off the accepted path.
 *
 * <p>The registry's bootstrap servers come from the connector's own ValidateEvent configuration
 * ({@code transforms.<alias>.registry.bootstrap.servers}), so there is one place to set them.
 */
public final class RegistryInvalidReasonResolver implements InvalidReasonResolver {
    static final String REGISTRY_BOOTSTRAP_SUFFIX = ".registry.bootstrap.servers";

    private SchemaRegistry registry;
    private EventValidator validator;

    public RegistryInvalidReasonResolver() {
    }

    /** With an already open registry (tests). */
    RegistryInvalidReasonResolver(SchemaRegistry registry) {
        this.registry = registry;
        this.validator = new EventValidator(registry);
    }

    @Override
    public void configure(Map<String, String> taskConfig) {
        String bootstrap = taskConfig.entrySet().stream()
                .filter(e -> e.getKey().startsWith("transforms.") && e.getKey().endsWith(REGISTRY_BOOTSTRAP_SUFFIX))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new ConfigException(getClass().getSimpleName()
                        + " needs a ValidateEvent transform with registry.bootstrap.servers on this connector"));
        registry = SchemaRegistry.open(new KafkaSchemaLog(bootstrap, Topics.SCHEMAS, Map.of(), false), Duration.ofSeconds(60));
        validator = new EventValidator(registry);
    }

    @Override
    public String reasonFor(SourceRecord original, RecordMetadata dlqMetadata) {
        Object value = original.value();
        EventValidator.Result result = value instanceof byte[] bytes
                ? validator.validate(new String(bytes, StandardCharsets.UTF_8))
                : validator.validate(String.valueOf(value));
        if (result.valid() || result.reason() == null) {
            // The schema changed between the transform's decision and now: say where it went.
            return "routed to " + dlqMetadata.topic();
        }
        return result.reason();
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
