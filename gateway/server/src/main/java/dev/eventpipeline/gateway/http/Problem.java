package dev.eventpipeline.gateway.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error shape of the gateway, after RFC 9457 ("problem details"):
 * {@code {"type","title","status","detail","instance"}} served as {@code application/problem+json}.
 */
public final class Problem {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** Problem types are documented in the OpenAPI document under this base. */
    public static final String TYPE_BASE = "https://event-pipeline.dev/problems/";

    private Problem() {
    }

    public static Reply of(int status, String type, String title, String detail, String instance) {
        return of(status, type, title, detail, instance, Map.of());
    }

    /**
     * A problem with extension members (RFC 9457 section 3.2), e.g. the incompatibilities of a refused
     * schema; they never replace the standard members.
     */
    public static Reply of(int status, String type, String title, String detail, String instance,
                           Map<String, ?> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        extensions.forEach(body::putIfAbsent);
        Reply json = Reply.json(status, body);
        return new Reply(status, CONTENT_TYPE, json.body(), json.headers());
    }

    public static Reply notFound(String path) {
        return of(404, "not-found", "Not Found", "no resource at " + path + "; see /v1/openapi.json", path);
    }

    public static Reply methodNotAllowed(String method, String path, String allowed) {
        return of(405, "method-not-allowed", "Method Not Allowed", method + " is not supported on " + path
                + "; allowed: " + allowed, path).withHeader("Allow", allowed);
    }

    public static Reply internal(String path, Throwable e) {
        return of(500, "internal", "Internal Server Error", e.getClass().getSimpleName() + ": " + e.getMessage(), path);
    }
}
