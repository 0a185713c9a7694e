package dev.eventpipeline.gateway.http;

import java.util.Map;

/**
 * One endpoint: a method, a path template such as {@code /v1/schemas/{version}} and its handler, or
 * a Jetty handler it is delegated to as a whole (the ingestion proxy streams; it has no reply).
 */
public record Route(String method, String template, Handler handler, org.eclipse.jetty.server.Handler delegate) {

    public Route(String method, String template, Handler handler) {
        this(method, template, handler, null);
    }

    @FunctionalInterface
    public interface Handler {
        /** @param params values of the template's {@code {name}} segments */
        Reply handle(org.eclipse.jetty.server.Request request, Map<String, String> params) throws Exception;
    }

    /** Matches a concrete path; returns the template parameters, or null when it does not match. */
    Map<String, String> match(String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return null;
        }
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) {
                    return null;
                }
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }
}
