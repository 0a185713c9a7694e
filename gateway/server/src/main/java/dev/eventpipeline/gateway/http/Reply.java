package dev.eventpipeline.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Map;

/** What a route answers: status, content type, body and extra headers. */
public record Reply(int status, String contentType, String body, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Reply json(int status, Object body) {
        try {
            return new Reply(status, "application/json", JSON.writeValueAsString(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unserialisable reply body", e);
        }
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body, Map.of());
    }

    public Reply withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, Map.copyOf(h));
    }
}
