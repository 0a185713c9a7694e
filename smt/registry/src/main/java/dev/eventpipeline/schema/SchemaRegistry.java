package dev.eventpipeline.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaException;
import dev.eventpipeline.contract.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The versioned JSON Schema registry: one subject per event type, versions 1..n immutable once
 * registered, compatibility checked on registration per subject (or the global default), state
 * rebuilt from a {@link SchemaLog} at start and kept current by tailing it.
 *
 * <p>Writes are serialised in this instance; several writing instances on one log are not
 * coordinated (no leader election): run one registry server per cluster, any number of readers.
 */
public final class SchemaRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistry.class);
    static final String GLOBAL = "_global";
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final SchemaLog schemaLog;
    private final Clock clock;
    private final Map<String, ConcurrentSkipListMap<Integer, SchemaVersion>> subjects = new ConcurrentHashMap<>();
    private final Map<Long, SchemaVersion> byId = new ConcurrentHashMap<>();
    private final Map<String, Compatibility> compatibility = new ConcurrentHashMap<>();
    private final List<Consumer<SchemaVersion>> listeners = new CopyOnWriteArrayList<>();
    private final SchemaCompiler compiler = new SchemaCompiler();

    private SchemaRegistry(SchemaLog schemaLog, Clock clock) {
        this.schemaLog = schemaLog;
        this.clock = clock;
    }

    /** Replays {@code log} and keeps following it. */
    public static SchemaRegistry open(SchemaLog log, Duration timeout) {
        return open(log, timeout, Clock.systemUTC());
    }

    public static SchemaRegistry open(SchemaLog log, Duration timeout, Clock clock) {
        SchemaRegistry registry = new SchemaRegistry(log, clock);
        log.start(registry::apply, timeout);
        return registry;
    }

    /** An in-memory registry (tests, examples). */
    public static SchemaRegistry inMemory() {
        return open(new InMemorySchemaLog(), Duration.ofSeconds(1));
    }

    // ---------------------------------------------------------------- log application

    private void apply(String key, String value) {
        if (key == null) {
            return;
        }
        String[] parts = key.split("/");
        try {
            if (parts.length == 3 && "schema".equals(parts[0])) {
                if (value == null) {
                    return; // versions are never deleted through the API; ignore tombstones
                }
                SchemaVersion v = SchemaVersion.fromJson(JsonMapper.get().readTree(value));
                subjects.computeIfAbsent(v.subject(), s -> new ConcurrentSkipListMap<>()).put(v.version(), v);
                byId.put(v.id(), v);
                listeners.forEach(l -> l.accept(v));
            } else if (parts.length == 2 && "config".equals(parts[0])) {
                if (value == null) {
                    compatibility.remove(parts[1]);
                } else {
                    compatibility.put(parts[1], Compatibility.parse(JsonMapper.get().readTree(value).path("compatibility").asText()));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable value for " + key, e);
        }
    }

    /** Called for every version applied (registered here or elsewhere, or metadata changed). */
    public void addListener(Consumer<SchemaVersion> listener) {
        listeners.add(listener);
    }

    /** Reads the log to its current end: versions registered elsewhere a moment ago become visible. */
    public void refresh(Duration timeout) {
        schemaLog.sync(timeout);
    }

    // ---------------------------------------------------------------- reads

    public List<String> subjects() {
        return subjects.keySet().stream().sorted().toList();
    }

    public List<SchemaVersion> versions(String subject) {
        ConcurrentSkipListMap<Integer, SchemaVersion> m = subjects.get(subject);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    public Optional<SchemaVersion> version(String subject, int version) {
        ConcurrentSkipListMap<Integer, SchemaVersion> m = subjects.get(subject);
        return Optional.ofNullable(m == null ? null : m.get(version));
    }

    public Optional<SchemaVersion> latest(String subject) {
        ConcurrentSkipListMap<Integer, SchemaVersion> m = subjects.get(subject);
        if (m == null || m.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(m.lastEntry().getValue());
    }

    public Optional<SchemaVersion> byId(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The level in force for {@code subject}: its own, else the global one, else BACKWARD. */
    public Compatibility compatibility(String subject) {
        Compatibility c = subject == null ? null : compatibility.get(subject);
        return c != null ? c : compatibility.getOrDefault(GLOBAL, Compatibility.DEFAULT);
    }

    /** The subject's own level, if set. */
    public Optional<Compatibility> subjectCompatibility(String subject) {
        return Optional.ofNullable(compatibility.get(subject));
    }

    // ---------------------------------------------------------------- writes

    /** Result of {@link #register} and {@link #check}. */
    public record Registration(SchemaVersion version, boolean created, List<String> incompatibilities) {
    }

    /**
     * Registers a new version of {@code subject}, or returns the existing version with the same schema
     * and migration (idempotent; {@code created == false}).
     *
     * @throws SchemaRegistryException 422 for an invalid schema/subject, 409 listing the incompatibilities
     */
    public synchronized Registration register(String subject, JsonNode schema, Migration migration, ObjectNode metadata) {
        Registration dry = check(subject, schema, migration);
        if (!dry.created()) {
            return dry;
        }
        if (!dry.incompatibilities().isEmpty()) {
            throw new SchemaRegistryException(409, "schema is incompatible with " + subject + " at "
                    + compatibility(subject), dry.incompatibilities());
        }
        SchemaVersion proposed = dry.version();
        SchemaVersion v = new SchemaVersion(subject, proposed.version(), nextId(), proposed.schema(),
                proposed.migration(), metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy(),
                clock.instant());
        schemaLog.append(key(v), v.toJson().toString());
        log.info("Registered {} version {} (id {})", subject, v.version(), v.id());
        return new Registration(v, true, List.of());
    }

    /**
     * Dry run of {@link #register}: what would happen. {@code created == false} means an identical
     * version exists (returned); otherwise {@code version} is the would-be version (id 0).
     */
    public Registration check(String subject, JsonNode schema, Migration migration) {
        checkSubject(subject);
        ObjectNode s = checkSchema(schema);
        Migration m = migration == null ? Migration.NONE : migration;
        refreshQuietly();
        List<SchemaVersion> previous = versions(subject);
        String fingerprint = SchemaVersion.fingerprint(s, m);
        for (SchemaVersion existing : previous) {
            if (existing.contentFingerprint().equals(fingerprint)) {
                return new Registration(existing, false, List.of());
            }
        }
        if (previous.isEmpty() && !m.isEmpty()) {
            throw new SchemaRegistryException(422, "version 1 of " + subject + " cannot declare a migration");
        }
        List<String> problems = CompatibilityChecker.check(compatibility(subject), s, m, previous);
        int next = previous.isEmpty() ? 1 : previous.get(previous.size() - 1).version() + 1;
        SchemaVersion would = new SchemaVersion(subject, next, 0, s, m, JsonNodeFactory.instance.objectNode(), clock.instant());
        return new Registration(would, true, problems);
    }

    /**
     * Replaces the metadata of an existing version; the schema and migration never change.
     *
     * @throws SchemaRegistryException 404 unknown version
     */
    public synchronized SchemaVersion updateMetadata(String subject, int version, ObjectNode metadata) {
        refreshQuietly();
        SchemaVersion existing = version(subject, version)
                .orElseThrow(() -> new SchemaRegistryException(404, "no version " + version + " of subject " + subject));
        SchemaVersion updated = existing.withMetadata(metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy());
        schemaLog.append(key(updated), updated.toJson().toString());
        return updated;
    }

    /** Sets the compatibility level of {@code subject}, or the global default when {@code subject} is null. */
    public synchronized void setCompatibility(String subject, Compatibility level) {
        if (subject != null) {
            checkSubject(subject);
        }
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("compatibility", level.name());
        schemaLog.append("config/" + (subject == null ? GLOBAL : subject), value.toString());
    }

    private long nextId() {
        return byId.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    }

    private static String key(SchemaVersion v) {
        return "schema/" + v.subject() + "/" + v.version();
    }

    private void refreshQuietly() {
        try {
            schemaLog.sync(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(503, "schema log unavailable: " + e.getMessage());
        }
    }

    static void checkSubject(String subject) {
        if (subject == null || !SUBJECT.matcher(subject).matches() || GLOBAL.equals(subject)) {
            throw new SchemaRegistryException(422, "subject must be 1-128 characters of [A-Za-z0-9._-], got '" + subject + "'");
        }
    }

    private ObjectNode checkSchema(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw new SchemaRegistryException(422, "schema must be a JSON object (a draft 2020-12 JSON Schema)");
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !dialect.asText().startsWith("https://json-schema.org/draft/2020-12/schema")) {
            throw new SchemaRegistryException(422, "only JSON Schema draft 2020-12 is accepted, got $schema " + dialect);
        }
        List<String> remote = new ArrayList<>();
        schema.findValues("$ref").forEach(r -> {
            if (!r.asText().startsWith("#")) {
                remote.add(r.asText());
            }
        });
        if (!remote.isEmpty()) {
            throw new SchemaRegistryException(422, "only local $ref (#/...) are supported, got " + remote);
        }
        List<String> metaErrors = compiler.metaValidate(schema);
        if (!metaErrors.isEmpty()) {
            throw new SchemaRegistryException(422, "not a valid JSON Schema (draft 2020-12)", metaErrors);
        }
        try {
            compiler.compile(schema);
        } catch (SchemaException | IllegalArgumentException e) {
            throw new SchemaRegistryException(422, "schema does not compile: " + e.getMessage());
        }
        return ((ObjectNode) schema).deepCopy();
    }

    /** Subjects and their versions, for listings. */
    public Map<String, List<Integer>> overview() {
        Map<String, List<Integer>> out = new TreeMap<>();
        subjects.forEach((s, m) -> out.put(s, List.copyOf(m.keySet())));
        return out;
    }

    @Override
    public void close() {
        schemaLog.close();
    }
}
