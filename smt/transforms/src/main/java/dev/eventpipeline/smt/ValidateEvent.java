package dev.eventpipeline.smt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.EventValidator;
import dev.eventpipeline.schema.SchemaRegistry;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Validates each record's value (an event, schemaless JSON as String, byte[] or Map) against the
 * registry schema of its ({@code type}, {@code schemaVersion}) and routes it: valid events to
 * {@code valid.topic} (carried forward to the subject's latest version when {@code upgrade.enabled}),
 * invalid ones to {@code invalid.topic} with {@code __connect.errors.*} headers (reason, JSON pointers,
 * subject, version), or fails / drops them ({@code on.invalid}). Schemas come from the registry's
 * compacted topic, tailed in the background: a version registered while the connector runs is used
 * at its first event, no restart needed.
 */
public class ValidateEvent<R extends ConnectRecord<R>> implements Transformation<R> {
    private static final Logger log = LoggerFactory.getLogger(ValidateEvent.class);

    public static final String REGISTRY_BOOTSTRAP = "registry.bootstrap.servers";
    public static final String REGISTRY_TOPIC = "registry.topic";
    public static final String REGISTRY_CLIENT_PREFIX = "registry.client.";
    public static final String REGISTRY_STARTUP_TIMEOUT_MS = "registry.startup.timeout.ms";
    public static final String REGISTRY_REFRESH_TIMEOUT_MS = "registry.refresh.timeout.ms";
    public static final String REGISTRY_MISSING_RECHECK_MS = "registry.missing.recheck.ms";
    public static final String VALID_TOPIC = "valid.topic";
    public static final String INVALID_TOPIC = "invalid.topic";
    public static final String ON_INVALID = "on.invalid";
    public static final String UPGRADE = "upgrade.enabled";

    public enum OnInvalid { ROUTE, FAIL, DROP }

    private static final String GROUP_REGISTRY = "Schema registry";
    private static final String GROUP_ROUTING = "Routing";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(REGISTRY_BOOTSTRAP, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH, "Kafka bootstrap servers of the cluster holding the schema registry's compacted topic.",
                    GROUP_REGISTRY, 1, ConfigDef.Width.LONG, "Registry Kafka")
            .define(REGISTRY_TOPIC, ConfigDef.Type.STRING, Topics.SCHEMAS, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.MEDIUM, "Compacted topic (1 partition) the registry stores its schemas in.",
                    GROUP_REGISTRY, 2, ConfigDef.Width.MEDIUM, "Registry topic")
            .define(REGISTRY_STARTUP_TIMEOUT_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(1000),
                    ConfigDef.Importance.LOW, "How long start-up may take to read the schemas topic (the task fails after it).",
                    GROUP_REGISTRY, 3, ConfigDef.Width.SHORT, "Startup timeout")
            .define(REGISTRY_REFRESH_TIMEOUT_MS, ConfigDef.Type.LONG, 5_000L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW, "An event of an unknown (type, schemaVersion) waits at most this long for the schemas topic to be read to its end (a version registered a moment ago).",
                    GROUP_REGISTRY, 4, ConfigDef.Width.SHORT, "Refresh timeout")
            .define(REGISTRY_MISSING_RECHECK_MS, ConfigDef.Type.LONG, 1_000L, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW, "An unknown (type, schemaVersion) is looked up in the topic again at most this often; events in between are invalid at once.",
                    GROUP_REGISTRY, 5, ConfigDef.Width.SHORT, "Missing re-check")
            .define(VALID_TOPIC, ConfigDef.Type.STRING, Topics.VALIDATED, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH, "Topic valid events are routed to (must exist).",
                    GROUP_ROUTING, 1, ConfigDef.Width.MEDIUM, "Valid topic")
            .define(INVALID_TOPIC, ConfigDef.Type.STRING, Topics.DLQ, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH, "Topic invalid events are routed to with on.invalid=route (must exist); the value is unchanged, the reason is in __connect.errors.* headers.",
                    GROUP_ROUTING, 2, ConfigDef.Width.MEDIUM, "Invalid topic")
            .define(ON_INVALID, ConfigDef.Type.STRING, "route", ConfigDef.CaseInsensitiveValidString.in("route", "fail", "drop"),
                    ConfigDef.Importance.HIGH, "What to do with an invalid event: route (to invalid.topic with reason headers), fail (throw a DataException: the task fails unless errors.tolerance=all, which drops and logs it), drop (filter it and count it; the client is told 'duplicate', so prefer route).",
                    GROUP_ROUTING, 3, ConfigDef.Width.SHORT, "On invalid")
            .define(UPGRADE, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                    "Carry valid events of older versions forward to the type's latest version (each version's migration: renames, removes, defaults); the version the client sent stays in the event's originalSchemaVersion field and the event-pipeline.schema.original.version header.",
                    GROUP_ROUTING, 4, ConfigDef.Width.SHORT, "Upgrade");

    private SchemaRegistry registry;
    private EventValidator validator;
    private String validTopic;
    private String invalidTopic;
    private OnInvalid onInvalid;
    private boolean upgrade;

    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong upgraded = new AtomicLong();
    private final AtomicLong invalidRouted = new AtomicLong();
    private final AtomicLong invalidDropped = new AtomicLong();
    private final AtomicLong invalidFailed = new AtomicLong();

    private boolean sharedRegistry;

    @Override
    public void configure(Map<String, ?> configs) {
        configure(configs, null);
    }

    /** Tests: use {@code given} instead of a registry read from Kafka (null = read from Kafka). */
    void configure(Map<String, ?> configs, SchemaRegistry given) {
        AbstractConfig c = new AbstractConfig(CONFIG_DEF, configs);
        validTopic = c.getString(VALID_TOPIC);
        invalidTopic = c.getString(INVALID_TOPIC);
        onInvalid = OnInvalid.valueOf(c.getString(ON_INVALID).toUpperCase(Locale.ROOT));
        upgrade = c.getBoolean(UPGRADE);
        Map<String, Object> clientProps = new HashMap<>(c.originalsWithPrefix(REGISTRY_CLIENT_PREFIX));
        if (given != null) {
            registry = given;
        } else try {
            sharedRegistry = true;
            registry = SharedRegistries.acquire(c.getString(REGISTRY_BOOTSTRAP), c.getString(REGISTRY_TOPIC), clientProps,
                    Duration.ofMillis(c.getLong(REGISTRY_STARTUP_TIMEOUT_MS)));
        } catch (RuntimeException e) {
            throw new ConfigException("ValidateEvent cannot read the schema registry topic " + c.getString(REGISTRY_TOPIC)
                    + " at " + c.getString(REGISTRY_BOOTSTRAP) + ": " + e.getMessage());
        }
        validator = new EventValidator(registry, Duration.ofMillis(c.getLong(REGISTRY_REFRESH_TIMEOUT_MS)),
                c.getLong(REGISTRY_MISSING_RECHECK_MS));
        log.info("ValidateEvent: {} subject(s) known; valid -> {}, invalid -> {} ({})", registry.subjects().size(),
                validTopic, invalidTopic, onInvalid);
    }

    @Override
    public R apply(R record) {
        String[] error = new String[1];
        JsonNode event = EventValues.parse(record.value(), error);
        EventValidator.Result result = event == null
                ? new EventValidator.Result(false, error[0], java.util.List.of(""), null, 0, null, false, 0)
                : validator.validate(event, upgrade);
        if (result.valid()) {
            valid.incrementAndGet();
            Headers headers = record.headers().duplicate();
            headers.remove(ErrorHeaders.EVENT_ID);
            headers.addString(ErrorHeaders.EVENT_ID, result.event().path("eventId").asText());
            Object value = record.value();
            if (result.upgraded()) {
                upgraded.incrementAndGet();
                value = EventValues.render(result.event(), record.value());
                headers.remove(ErrorHeaders.ORIGINAL_SCHEMA_VERSION);
                headers.addString(ErrorHeaders.ORIGINAL_SCHEMA_VERSION, Integer.toString(result.version()));
            }
            EventValues.handOver(value, result.event()); // DeduplicateEvent need not parse it again
            return record.newRecord(validTopic, null, record.keySchema(), record.key(), record.valueSchema(), value,
                    record.timestamp(), headers);
        }
        switch (onInvalid) {
            case DROP -> {
                long n = invalidDropped.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    log.warn("ValidateEvent dropped {} invalid event(s); latest: {}", n, result.reason());
                }
                return null;
            }
            case FAIL -> {
                invalidFailed.incrementAndGet();
                throw new DataException("invalid event: " + result.reason());
            }
            default -> {
                invalidRouted.incrementAndGet();
                return record.newRecord(invalidTopic, null, record.keySchema(), record.key(), record.valueSchema(),
                        record.value(), record.timestamp(), errorHeaders(record, result));
            }
        }
    }

    private Headers errorHeaders(R record, EventValidator.Result result) {
        Headers h = record.headers().duplicate();
        // The source task's de-duplication pre-mark is set before validation; de-duplication never sees a
        // DLQ record (predicate), so its mark would leak into Kafka: it is between the task and DeduplicateEvent.
        h.remove(ErrorHeaders.DEDUP_MARK);
        h.remove(ErrorHeaders.DEDUP_HASH);
        h.addString(EventHeaders.ERROR_TOPIC, record.topic());
        if (record.kafkaPartition() != null) {
            h.addString(EventHeaders.ERROR_PARTITION, record.kafkaPartition().toString());
        }
        Header task = record.headers().lastWithName(EventHeaders.INGEST_TASK);
        if (task != null && task.value() != null) {
            h.addString(EventHeaders.ERROR_TASK, task.value().toString());
        }
        h.addString(EventHeaders.ERROR_STAGE, ErrorHeaders.STAGE_TRANSFORMATION);
        h.addString(EventHeaders.ERROR_CLASS, ValidateEvent.class.getName());
        h.addString(EventHeaders.ERROR_EXCEPTION_CLASS, ErrorHeaders.SCHEMA_VIOLATION);
        h.addString(EventHeaders.ERROR_EXCEPTION_MESSAGE, result.reason());
        h.addString(ErrorHeaders.REASON, result.reason());
        ArrayNode pointers = JsonNodeFactory.instance.arrayNode();
        result.pointers().forEach(pointers::add);
        h.addString(ErrorHeaders.JSON_POINTERS, pointers.toString());
        if (result.subject() != null) {
            h.addString(ErrorHeaders.SCHEMA_SUBJECT, result.subject());
        }
        if (result.version() > 0) {
            h.addString(ErrorHeaders.SCHEMA_VERSION, Integer.toString(result.version()));
        }
        return h;
    }

    /** Counters since configure: valid, upgraded, invalid.routed, invalid.dropped, invalid.failed. */
    public Map<String, Long> counters() {
        return Map.of("valid", valid.get(), "upgraded", upgraded.get(), "invalid.routed", invalidRouted.get(),
                "invalid.dropped", invalidDropped.get(), "invalid.failed", invalidFailed.get());
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        if (registry != null) {
            log.info("ValidateEvent closing; counters {}", counters());
            if (sharedRegistry) {
                SharedRegistries.release(registry);
            }
            registry = null;
        }
    }
}
