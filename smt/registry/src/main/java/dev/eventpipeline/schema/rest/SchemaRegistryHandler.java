package dev.eventpipeline.schema.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.schema.Compatibility;
import dev.eventpipeline.schema.CompatibilityChecker;
import dev.eventpipeline.schema.Migration;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.SchemaRegistryException;
import dev.eventpipeline.schema.SchemaVersion;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry's REST API as a Jetty 12 core {@link Handler}, independent of any server: the
 * standalone {@link SchemaRegistryServer} serves it at the root, the gateway can mount it under
 * {@code /v1} (paths below are relative to where it is mounted; unknown paths are left to the next
 * handler). Two dialects:
 * <ul>
 *   <li>native ({@code /schemas...}): subjects, versions, metadata, compatibility config, dry-run check;</li>
 *   <li>the core of Confluent Schema Registry's API ({@code /subjects...}, {@code /schemas/ids/{id}},
 *       {@code /compatibility/...}, {@code /config...}) with {@code schemaType: "JSON"}, so existing
 *       tools can talk to it.</li>
 * </ul>
 * See the module README for every route with examples.
 */
public final class SchemaRegistryHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryHandler.class);
    static final String JSON = "application/json";
    static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final int MAX_BODY = 1 << 20;

    private final SchemaRegistry registry;

    public SchemaRegistryHandler(SchemaRegistry registry) {
        this.registry = registry;
    }

    /**
     * What the API answers to one request, before it is written: the gateway renders errors in its
     * own problem shape from {@link #error()}, the standalone server writes {@link #body()} as is.
     *
     * @param confluent the request was in the Confluent dialect (its media type and error codes)
     * @param error     present when the request failed: the message and any details (e.g. incompatibilities)
     */
    public record Answer(int status, JsonNode body, boolean confluent, java.util.Optional<Failure> error) {
        public String contentType() {
            return confluent ? CONFLUENT_JSON : JSON;
        }
    }

    /** @param details incompatibilities (409) or other itemised reasons */
    public record Failure(String message, List<String> details) {
    }

    private record Reply(int status, JsonNode body, boolean confluent, Failure failure) {
        Reply(int status, JsonNode body, boolean confluent) {
            this(status, body, confluent, null);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        if (!claims(path)) {
            return false;
        }
        Answer answer;
        try {
            answer = answer(method, path, "GET".equals(method) || "DELETE".equals(method) ? "" : readBody(request));
        } catch (SchemaRegistryException e) {
            answer = toAnswer(error(e.status(), e.getMessage(), e.details(), isConfluent(segments(path))));
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    /** True when {@code path} (relative to the mount point) belongs to this API. */
    public static boolean claims(String path) {
        List<String> seg = segments(path);
        return !seg.isEmpty() && List.of("schemas", "subjects", "config", "compatibility").contains(seg.get(0));
    }

    private static boolean isConfluent(List<String> seg) {
        return !seg.get(0).equals("schemas") || seg.size() >= 2 && seg.get(1).equals("ids");
    }

    /**
     * Answers one request without touching any server: {@code path} is relative to the mount point,
     * {@code body} the request body ("" when none). {@link #handle} uses it, and so does the gateway,
     * which mounts this API under {@code /v1} and renders failures as problem documents.
     */
    public Answer answer(String method, String path, String body) {
        List<String> seg = segments(path);
        if (!claims(path)) {
            return toAnswer(notFound(false));
        }
        boolean confluent = isConfluent(seg);
        Reply reply;
        try {
            reply = confluent ? confluent(method, seg, body) : nativeApi(method, seg, body);
        } catch (SchemaRegistryException e) {
            reply = error(e.status(), e.getMessage(), e.details(), confluent);
        } catch (JsonProcessingException e) {
            reply = error(400, "malformed JSON body: " + e.getOriginalMessage(), List.of(), confluent);
        } catch (RuntimeException e) {
            log.error("{} {} failed", method, path, e);
            reply = error(500, "internal error: " + e, List.of(), confluent);
        }
        return toAnswer(reply);
    }

    private static Answer toAnswer(Reply reply) {
        return new Answer(reply.status(), reply.body(), reply.confluent(), java.util.Optional.ofNullable(reply.failure()));
    }

    /** Reads a request body of at most 1 MiB; a larger one is a 413. */
    public static String readBody(Request request) {
        try {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            if (body.length() > MAX_BODY) {
                throw new SchemaRegistryException(413, "request body larger than " + MAX_BODY + " bytes");
            }
            return body;
        } catch (java.io.IOException e) {
            throw new SchemaRegistryException(400, "cannot read the request body: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ native API

    private Reply nativeApi(String method, List<String> seg, String body) throws JsonProcessingException {
        int n = seg.size();
        if (n == 1 && "GET".equals(method)) {
            ArrayNode subjects = JsonNodeFactory.instance.arrayNode();
            for (String s : registry.subjects()) {
                ObjectNode o = subjects.addObject().put("subject", s);
                ArrayNode versions = o.putArray("versions");
                registry.versions(s).forEach(v -> versions.add(v.version()));
                registry.latest(s).ifPresent(l -> o.put("latest", l.version()).put("latestId", l.id()));
                o.put("compatibility", registry.compatibility(s).name());
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("subjects", subjects);
            out.put("defaultCompatibility", registry.compatibility(null).name());
            return ok(out);
        }
        if (n == 1 && "POST".equals(method)) {
            JsonNode req = parseObject(body);
            SchemaRegistry.Registration r = registry.register(text(req, "subject"), req.get("schema"),
                    Migration.fromJson(req.get("migration")), metadata(req));
            ObjectNode out = r.version().toJson();
            out.put("created", r.created());
            return new Reply(r.created() ? 201 : 200, out, false);
        }
        if (n == 2 && "check".equals(seg.get(1)) && "POST".equals(method)) {
            JsonNode req = parseObject(body);
            String subject = text(req, "subject");
            SchemaRegistry.Registration r = registry.check(subject, req.get("schema"), Migration.fromJson(req.get("migration")));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("subject", subject);
            out.put("compatible", r.incompatibilities().isEmpty());
            out.put("identical", !r.created());
            out.put("version", r.version().version());
            out.put("compatibility", registry.compatibility(subject).name());
            ArrayNode list = out.putArray("incompatibilities");
            r.incompatibilities().forEach(list::add);
            return ok(out);
        }
        if (n >= 2 && "config".equals(seg.get(1))) {
            String subject = n == 3 ? seg.get(2) : null;
            if (n > 3) {
                return notFound(false);
            }
            if ("PUT".equals(method)) {
                Compatibility level = Compatibility.parse(text(parseObject(body), "compatibility"));
                registry.setCompatibility(subject, level);
            } else if (!"GET".equals(method)) {
                return methodNotAllowed(false);
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            if (subject != null) {
                out.put("subject", subject);
            }
            out.put("compatibility", registry.compatibility(subject).name());
            return ok(out);
        }
        String subject = seg.get(1);
        if (n == 2 && "GET".equals(method)) {
            List<SchemaVersion> versions = registry.versions(subject);
            if (versions.isEmpty()) {
                throw new SchemaRegistryException(404, "no subject " + subject);
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("subject", subject)
                    .put("compatibility", registry.compatibility(subject).name());
            ArrayNode arr = out.putArray("versions");
            versions.forEach(v -> arr.add(v.toJson()));
            return ok(out);
        }
        if (n == 3) {
            SchemaVersion v = resolve(subject, seg.get(2));
            if ("GET".equals(method)) {
                return ok(v.toJson());
            }
            if ("PUT".equals(method)) {
                JsonNode req = parseObject(body);
                if (req.has("schema") || req.has("migration")) {
                    Migration m = req.has("migration") ? Migration.fromJson(req.get("migration")) : v.migration();
                    JsonNode s = req.has("schema") ? req.get("schema") : v.schema();
                    if (!SchemaVersion.fingerprint(s, m).equals(v.contentFingerprint())) {
                        throw new SchemaRegistryException(409, "the schema and migration of " + subject + " v" + v.version()
                                + " are immutable; register a new version instead (only metadata may change)");
                    }
                }
                ObjectNode md = metadata(req);
                if (md == null) {
                    throw new SchemaRegistryException(422, "body must carry \"metadata\": {...} (description, deprecated, ...)");
                }
                return ok(registry.updateMetadata(subject, v.version(), md).toJson());
            }
            return methodNotAllowed(false);
        }
        return notFound(false);
    }

    // ------------------------------------------------------------------ Confluent dialect

    private Reply confluent(String method, List<String> seg, String body) throws JsonProcessingException {
        int n = seg.size();
        String root = seg.get(0);
        if ("schemas".equals(root) && n == 3 && "GET".equals(method)) { // /schemas/ids/{id}
            SchemaVersion v = registry.byId(parseLong(seg.get(2)))
                    .orElseThrow(() -> new SchemaRegistryException(404, "Schema " + seg.get(2) + " not found"));
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("schemaType", "JSON").put("schema", v.schema().toString());
            return cok(out);
        }
        if ("subjects".equals(root)) {
            if (n == 1 && "GET".equals(method)) {
                ArrayNode arr = JsonNodeFactory.instance.arrayNode();
                registry.subjects().forEach(arr::add);
                return cok(arr);
            }
            String subject = seg.get(1);
            if (n == 2 && "POST".equals(method)) { // lookup
                JsonNode schema = confluentSchema(parseObject(body));
                SchemaRegistry.Registration r = registry.check(subject, schema, Migration.NONE);
                if (r.created()) {
                    throw new SchemaRegistryException(404, "Schema not found under subject " + subject);
                }
                return cok(confluentVersion(r.version()));
            }
            if (n == 3 && "versions".equals(seg.get(2))) {
                if ("GET".equals(method)) {
                    List<SchemaVersion> versions = registry.versions(subject);
                    if (versions.isEmpty()) {
                        throw new SchemaRegistryException(404, "Subject '" + subject + "' not found.");
                    }
                    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
                    versions.forEach(v -> arr.add(v.version()));
                    return cok(arr);
                }
                if ("POST".equals(method)) {
                    JsonNode req = parseObject(body);
                    SchemaRegistry.Registration r = registry.register(subject, confluentSchema(req), Migration.NONE, null);
                    return cok(JsonNodeFactory.instance.objectNode().put("id", r.version().id()));
                }
                return methodNotAllowed(true);
            }
            if (n == 4 && "versions".equals(seg.get(2)) && "GET".equals(method)) {
                return cok(confluentVersion(resolve(subject, seg.get(3))));
            }
            if (n == 5 && "versions".equals(seg.get(2)) && "schema".equals(seg.get(4)) && "GET".equals(method)) {
                return cok(resolve(subject, seg.get(3)).schema());
            }
            return notFound(true);
        }
        if ("compatibility".equals(root) && n == 5 && "subjects".equals(seg.get(1)) && "versions".equals(seg.get(3))
                && "POST".equals(method)) {
            String subject = seg.get(2);
            SchemaVersion against = resolve(subject, seg.get(4));
            JsonNode schema = confluentSchema(parseObject(body));
            Compatibility level = registry.compatibility(subject);
            List<SchemaVersion> upTo = registry.versions(subject).stream().filter(v -> v.version() <= against.version()).toList();
            List<String> problems = CompatibilityChecker.check(level, schema, Migration.NONE, upTo);
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("is_compatible", problems.isEmpty());
            ArrayNode msgs = out.putArray("messages");
            problems.forEach(msgs::add);
            return cok(out);
        }
        if ("config".equals(root) && n <= 2) {
            String subject = n == 2 ? seg.get(1) : null;
            if ("PUT".equals(method)) {
                Compatibility level = Compatibility.parse(text(parseObject(body), "compatibility"));
                registry.setCompatibility(subject, level);
                return cok(JsonNodeFactory.instance.objectNode().put("compatibility", level.name()));
            }
            if ("GET".equals(method)) {
                return cok(JsonNodeFactory.instance.objectNode().put("compatibilityLevel", registry.compatibility(subject).name()));
            }
            return methodNotAllowed(true);
        }
        return notFound(true);
    }

    private static ObjectNode confluentVersion(SchemaVersion v) {
        return JsonNodeFactory.instance.objectNode().put("subject", v.subject()).put("version", v.version())
                .put("id", v.id()).put("schemaType", "JSON").put("schema", v.schema().toString());
    }

    private static JsonNode confluentSchema(JsonNode req) throws JsonProcessingException {
        String type = req.path("schemaType").asText("JSON");
        if (!"JSON".equals(type)) {
            throw new SchemaRegistryException(422, "only schemaType JSON is supported, got " + type);
        }
        JsonNode s = req.get("schema");
        if (s == null || !s.isTextual()) {
            throw new SchemaRegistryException(422, "\"schema\" must be the JSON Schema as a string");
        }
        return JsonMapper.get().readTree(s.textValue());
    }

    // ------------------------------------------------------------------ helpers

    private SchemaVersion resolve(String subject, String version) {
        if ("latest".equals(version) || "-1".equals(version)) {
            return registry.latest(subject).orElseThrow(() -> new SchemaRegistryException(404, "Subject '" + subject + "' not found."));
        }
        int v;
        try {
            v = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(422, "version must be a positive integer or 'latest', got '" + version + "'");
        }
        return registry.version(subject, v).orElseThrow(() -> new SchemaRegistryException(404,
                "Version " + version + " of subject '" + subject + "' not found."));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(422, "id must be an integer, got '" + s + "'");
        }
    }

    private static JsonNode parseObject(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new SchemaRegistryException(400, "a JSON object body is required");
        }
        JsonNode node = JsonMapper.get().readTree(body);
        if (!node.isObject()) {
            throw new SchemaRegistryException(400, "the body must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode req, String field) {
        JsonNode v = req.get(field);
        if (v == null || !v.isTextual()) {
            throw new SchemaRegistryException(422, "\"" + field + "\" (string) is required");
        }
        return v.textValue();
    }

    private static ObjectNode metadata(JsonNode req) {
        JsonNode md = req.get("metadata");
        if (md == null || md.isNull()) {
            return null;
        }
        if (!md.isObject()) {
            throw new SchemaRegistryException(422, "\"metadata\" must be an object");
        }
        return (ObjectNode) md;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(java.net.URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body, false);
    }

    private static Reply cok(JsonNode body) {
        return new Reply(200, body, true);
    }

    private static Reply notFound(boolean confluent) {
        return error(404, "no such endpoint", List.of(), confluent);
    }

    private static Reply methodNotAllowed(boolean confluent) {
        return error(405, "method not allowed", List.of(), confluent);
    }

    private static final Map<Integer, Integer> CONFLUENT_CODES = Map.of(404, 40401, 409, 409, 422, 42201, 400, 400, 500, 50001, 503, 50003);

    private static Reply error(int status, String message, List<String> details, boolean confluent) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (confluent) {
            out.put("error_code", CONFLUENT_CODES.getOrDefault(status, status));
            out.put("message", details.isEmpty() ? message : message + ": " + String.join("; ", details));
        } else {
            out.put("error", message);
            if (!details.isEmpty()) {
                ArrayNode arr = out.putArray(status == 409 ? "incompatibilities" : "details");
                details.forEach(arr::add);
            }
        }
        return new Reply(status, out, confluent, new Failure(message, List.copyOf(details)));
    }
}
