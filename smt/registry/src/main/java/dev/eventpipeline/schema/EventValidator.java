package dev.eventpipeline.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import dev.eventpipeline.contract.EventEnvelope;
import dev.eventpipeline.contract.InvalidEnvelopeException;
import dev.eventpipeline.contract.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates one event (the envelope, then its {@code payload} against the registry schema of
 * ({@code type}, {@code schemaVersion})) and carries valid older events forward to the subject's
 * latest version. Thread-safe; compiled schemas are cached by registry id.
 *
 * <p>This is the API the ingestion task calls for events the transform routed to the DLQ, to tell the
 * client why: {@code new EventValidator(registry).validate(json)}.
 */
public final class EventValidator {
    /** Envelope field added to upgraded events: the version the client sent. */
    public static final String ORIGINAL_SCHEMA_VERSION = "originalSchemaVersion";
    private static final int MAX_POINTERS = 10;

    private final SchemaRegistry registry;
    private final SchemaCompiler compiler = new SchemaCompiler();
    private final Map<Long, Schema> compiled = new ConcurrentHashMap<>();
    private final Map<String, Long> missingUntil = new ConcurrentHashMap<>();
    private final Duration refreshTimeout;
    private final long missingRecheckMs;

    /** With defaults: an unknown (subject, version) triggers a refresh of at most 5 s, at most once a second. */
    public EventValidator(SchemaRegistry registry) {
        this(registry, Duration.ofSeconds(5), 1000);
    }

    /**
     * @param refreshTimeout   how long a lookup of an unknown (subject, version) may wait for the log to be read to its end
     * @param missingRecheckMs an unknown (subject, version) is looked up again in the log at most this often
     */
    public EventValidator(SchemaRegistry registry, Duration refreshTimeout, long missingRecheckMs) {
        this.registry = registry;
        this.refreshTimeout = refreshTimeout;
        this.missingRecheckMs = missingRecheckMs;
    }

    /**
     * The verdict on one event.
     *
     * @param valid         true when the envelope and payload are valid
     * @param reason        for invalid events: one line for the client / the DLQ header, e.g.
     *                      {@code /payload/quantity: must be >= 1 (cart.item_added v2)}
     * @param pointers      JSON pointers (into the event) of the failing values
     * @param subject       the event's {@code type} (null when unreadable)
     * @param version       the event's {@code schemaVersion} (0 when unreadable)
     * @param event         the parsed event, upgraded to the latest version when {@code upgraded}
     * @param upgraded      true when {@code event} was carried forward to {@code latestVersion}
     * @param latestVersion the subject's latest version (0 when unknown)
     */
    public record Result(boolean valid, String reason, List<String> pointers, String subject, int version,
                         ObjectNode event, boolean upgraded, int latestVersion) {
    }

    public Result validate(String json) {
        JsonNode node;
        try {
            node = JsonMapper.get().readTree(json);
        } catch (JsonProcessingException e) {
            return invalid("malformed JSON: " + e.getOriginalMessage(), List.of(""), null, 0, null);
        }
        return validate(node, true);
    }

    public Result validate(byte[] json) {
        JsonNode node;
        try {
            node = JsonMapper.get().readTree(json);
        } catch (java.io.IOException e) {
            return invalid("malformed JSON: " + e.getMessage(), List.of(""), null, 0, null);
        }
        return validate(node, true);
    }

    /**
     * @param upgrade carry a valid older event forward to the subject's latest version
     */
    public Result validate(JsonNode node, boolean upgrade) {
        if (node == null || !node.isObject()) {
            return invalid("event must be a JSON object", List.of(""), null, 0, null);
        }
        ObjectNode event = (ObjectNode) node;
        String subject = event.path(EventEnvelope.TYPE).isTextual() ? event.get(EventEnvelope.TYPE).textValue() : null;
        int version = event.path(EventEnvelope.SCHEMA_VERSION).canConvertToInt() ? event.get(EventEnvelope.SCHEMA_VERSION).intValue() : 0;
        try {
            EventEnvelope.parse(event);
        } catch (InvalidEnvelopeException e) {
            return invalid(e.reason(), List.of(e.pointer()), subject, version, event);
        }
        Optional<SchemaVersion> sv = lookup(subject, version);
        if (sv.isEmpty()) {
            boolean knownSubject = !registry.versions(subject).isEmpty();
            String reason = knownSubject
                    ? "/schemaVersion: version " + version + " of type " + subject + " is not registered (latest is "
                    + registry.latest(subject).map(SchemaVersion::version).orElse(0) + ")"
                    : "/type: no schema is registered for event type " + subject;
            return invalid(reason, List.of(knownSubject ? "/schemaVersion" : "/type"), subject, version, event);
        }
        SchemaVersion schemaVersion = sv.get();
        ObjectNode payload = (ObjectNode) event.get(EventEnvelope.PAYLOAD);
        Schema schema = compiled(schemaVersion);
        // Fast path: a boolean verdict (no error objects) for the common, valid case.
        if (!Boolean.TRUE.equals(schema.validate(payload, OutputFormat.BOOLEAN))) {
            List<Error> errors = schema.validate(payload);
            if (!errors.isEmpty()) {
                return fromErrors(errors, subject, version, event, "");
            }
        }
        SchemaVersion latest = registry.latest(subject).orElse(schemaVersion);
        if (!upgrade || latest.version() <= version) {
            return new Result(true, null, List.of(), subject, version, event, false, latest.version());
        }
        ObjectNode upgradedPayload = payload;
        for (int v = version + 1; v <= latest.version(); v++) {
            Optional<SchemaVersion> step = registry.version(subject, v);
            if (step.isPresent()) {
                upgradedPayload = step.get().migration().apply(upgradedPayload);
            }
        }
        List<Error> after = compiled(latest).validate(upgradedPayload);
        if (!after.isEmpty()) {
            return fromErrors(after, subject, version, event, "after migration to v" + latest.version() + ": ");
        }
        ObjectNode out = event.deepCopy();
        out.set(EventEnvelope.PAYLOAD, upgradedPayload);
        out.put(EventEnvelope.SCHEMA_VERSION, latest.version());
        if (!out.has(ORIGINAL_SCHEMA_VERSION)) {
            out.put(ORIGINAL_SCHEMA_VERSION, version);
        }
        return new Result(true, null, List.of(), subject, version, out, true, latest.version());
    }

    private Result fromErrors(List<Error> errors, String subject, int version, ObjectNode event, String prefix) {
        Set<String> pointers = new LinkedHashSet<>();
        List<String> messages = new ArrayList<>();
        for (Error e : errors) {
            String at = "/" + EventEnvelope.PAYLOAD + (e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString());
            if (pointers.size() < MAX_POINTERS) {
                pointers.add(at);
            }
            if (messages.size() < 3) {
                messages.add(message(at, e));
            }
        }
        String reason = prefix + String.join("; ", messages) + (errors.size() > 3 ? "; ... (" + errors.size() + " errors)" : "")
                + " (" + subject + " v" + version + ")";
        return invalid(reason, List.copyOf(pointers), subject, version, event);
    }

    /** networknt messages start with the instance location in its own format; keep ours. */
    private static String message(String at, Error e) {
        String m = e.getMessage();
        String loc = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        if (m.startsWith(loc + ": ")) {
            m = m.substring(loc.length() + 2);
        } else if (m.startsWith(": ")) {
            m = m.substring(2);
        }
        return at + ": " + m;
    }

    private static Result invalid(String reason, List<String> pointers, String subject, int version, ObjectNode event) {
        return new Result(false, reason, pointers, subject, version, event, false, 0);
    }

    /** The version, reading the log to its end (rate-limited) when it is not known yet. */
    public Optional<SchemaVersion> lookup(String subject, int version) {
        Optional<SchemaVersion> v = registry.version(subject, version);
        if (v.isPresent()) {
            return v;
        }
        String key = subject + "/" + version;
        long now = System.currentTimeMillis();
        Long until = missingUntil.get(key);
        if (until != null && now < until) {
            return Optional.empty();
        }
        try {
            registry.refresh(refreshTimeout);
        } catch (RuntimeException e) {
            // fall through: treat as unknown for now
        }
        v = registry.version(subject, version);
        if (v.isEmpty()) {
            if (missingUntil.size() > 10_000) {
                missingUntil.clear();
            }
            missingUntil.put(key, now + missingRecheckMs);
        } else {
            missingUntil.remove(key);
        }
        return v;
    }

    private Schema compiled(SchemaVersion v) {
        return compiled.computeIfAbsent(v.id(), id -> compiler.compile(v.schema()));
    }
}
