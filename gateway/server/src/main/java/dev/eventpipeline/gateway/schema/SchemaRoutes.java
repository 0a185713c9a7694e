package dev.eventpipeline.gateway.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.gateway.http.Problem;
import dev.eventpipeline.gateway.http.Reply;
import dev.eventpipeline.gateway.http.Router;
import dev.eventpipeline.schema.rest.SchemaRegistryHandler;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema registry's REST API mounted under {@code /v1}: the registry's own request handling
 * ({@link SchemaRegistryHandler#answer}), so both listeners answer alike, with the gateway's route
 * table (for 404/405 and the OpenAPI check) and its problem documents for errors. Confluent clients
 * still find {@code error_code} and {@code message} in a failed answer: they are extension members of
 * the problem.
 */
public final class SchemaRoutes {
    static final String MOUNT = "/v1";

    /** Native dialect, then the Confluent subset; each is answered by the registry itself. */
    public static final List<String> ROUTES = List.of(
            "GET /v1/schemas", "POST /v1/schemas", "POST /v1/schemas/check",
            "GET /v1/schemas/config", "PUT /v1/schemas/config",
            "GET /v1/schemas/config/{subject}", "PUT /v1/schemas/config/{subject}",
            "GET /v1/schemas/ids/{id}",
            "GET /v1/schemas/{subject}", "GET /v1/schemas/{subject}/{version}", "PUT /v1/schemas/{subject}/{version}",
            "GET /v1/subjects", "POST /v1/subjects/{subject}",
            "GET /v1/subjects/{subject}/versions", "POST /v1/subjects/{subject}/versions",
            "GET /v1/subjects/{subject}/versions/{version}", "GET /v1/subjects/{subject}/versions/{version}/schema",
            "POST /v1/compatibility/subjects/{subject}/versions/{version}",
            "GET /v1/config", "PUT /v1/config", "GET /v1/config/{subject}", "PUT /v1/config/{subject}");

    private final Optional<SchemaRegistryHandler> registry;

    /** @param registry empty when this gateway runs without a registry: every route then answers 503 */
    public SchemaRoutes(Optional<SchemaRegistryHandler> registry) {
        this.registry = registry;
    }

    public void addTo(Router router) {
        for (String route : ROUTES) {
            String[] parts = route.split(" ", 2);
            router.add(parts[0], parts[1], (req, p) -> answer(req));
        }
    }

    private Reply answer(Request request) {
        String path = Request.getPathInContext(request);
        if (registry.isEmpty()) {
            return Problem.of(503, "registry-unavailable", "Service Unavailable",
                    "this gateway runs without a schema registry", path);
        }
        String method = request.getMethod();
        String body;
        try {
            body = "GET".equals(method) ? "" : SchemaRegistryHandler.readBody(request);
        } catch (RuntimeException e) {
            int status = e instanceof dev.eventpipeline.schema.SchemaRegistryException s ? s.status() : 400;
            return Problem.of(status, problemType(status, false), HttpStatus.getMessage(status), e.getMessage(), path);
        }
        SchemaRegistryHandler.Answer answer = registry.get().answer(method, path.substring(MOUNT.length()), body);
        if (answer.error().isEmpty()) {
            return Reply.text(answer.status(), answer.contentType(), answer.body().toString());
        }
        return problem(answer, path);
    }

    static Reply problem(SchemaRegistryHandler.Answer answer, String path) {
        SchemaRegistryHandler.Failure failure = answer.error().orElseThrow();
        int status = answer.status();
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (!failure.details().isEmpty()) {
            extensions.put(status == 409 ? "incompatibilities" : "details", failure.details());
        }
        if (answer.confluent()) {
            // What Confluent's clients read from an error body.
            JsonNode body = answer.body();
            extensions.put("error_code", body.path("error_code").asInt(status));
            extensions.put("message", body.path("message").asText(failure.message()));
        }
        return Problem.of(status, problemType(status, !failure.details().isEmpty()), HttpStatus.getMessage(status),
                failure.message(), path, extensions);
    }

    static String problemType(int status, boolean itemised) {
        return switch (status) {
            case 400 -> "bad-request";
            case 404 -> "schema-not-found";
            case 405 -> "method-not-allowed";
            case 409 -> itemised ? "schema-incompatible" : "schema-immutable";
            case 413 -> "payload-too-large";
            case 422 -> "invalid-schema";
            default -> "internal";
        };
    }
}
