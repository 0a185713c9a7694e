package dev.eventpipeline.reliability.corpus;

import java.util.Map;

/**
 * One hostile or malformed request and the answer connectors/event-source/README.md documents for it.
 *
 * @param category     what is wrong with it (the report groups by this)
 * @param transport    {@link Transport#HTTP} request, or one {@link Transport#WS} frame on a fresh connection
 * @param path         HTTP path ({@code /events}, {@code /events/batch}, ...)
 * @param method       HTTP method
 * @param headers      extra request headers (e.g. {@code Content-Encoding}, {@code X-API-Key})
 * @param body         the exact bytes sent (HTTP body, or the WS frame: text unless {@code binaryFrame})
 * @param binaryFrame  WS only: send as a binary frame
 * @param authListener send to the listener that requires API keys
 * @param expected     HTTP status, or for WS: 0 = one ack with status invalid and the connection stays
 *                     open, else the close code
 * @param reason       a fragment the answer's reason must contain (case-insensitive), or null
 */
public record BadRequest(String category, Transport transport, String path, String method, Map<String, String> headers,
                         byte[] body, boolean binaryFrame, boolean authListener, int expected, String reason) {

    public enum Transport { HTTP, WS }

    static BadRequest http(String category, String path, byte[] body, int expected, String reason) {
        return new BadRequest(category, Transport.HTTP, path, "POST", Map.of("Content-Type", "application/json"), body,
                false, false, expected, reason);
    }

    static BadRequest ws(String category, byte[] frame, boolean binary, int expected, String reason) {
        return new BadRequest(category, Transport.WS, "/events/stream", "GET", Map.of(), frame, binary, false, expected, reason);
    }

    BadRequest withHeaders(Map<String, String> headers) {
        return new BadRequest(category, transport, path, method, headers, body, binaryFrame, authListener, expected, reason);
    }

    BadRequest withMethod(String method) {
        return new BadRequest(category, transport, path, method, headers, body, binaryFrame, authListener, expected, reason);
    }

    BadRequest onAuthListener() {
        return new BadRequest(category, transport, path, method, headers, body, binaryFrame, true, expected, reason);
    }
}
