package dev.eventpipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventEnvelope;
import dev.eventpipeline.contract.InvalidEnvelopeException;
import dev.eventpipeline.contract.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/** Sample events and a small HTTP client for the tests. */
public final class TestEvents {
    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestEvents() {
    }

    /**
     * A valid event, deliberately with unusual spacing and key order so that "written unchanged" is
     * distinguishable from "re-serialized".
     */
    public static String event(String eventId, String sessionId) {
        return "{ \"eventId\" : \"" + eventId + "\",\"type\":\"cart.item_added\",  \"schemaVersion\":1,"
                + "\"occurredAt\":\"2026-11-27T08:00:00.000Z\",\"userId\":\"user-42\",\"sessionId\":\"" + sessionId + "\","
                + "\"storeId\":\"store-eu-1\",\"payload\":{\"sku\":\"SKU-123\",\"quantity\":2, \"note\":\"caf\u00e9 \u2713\"} }";
    }

    public static String event(String eventId) {
        return event(eventId, "session-7f3a");
    }

    public static EventEnvelope envelope(String json) {
        try {
            return EventEnvelope.parse(JsonMapper.get().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidEnvelopeException e) {
            throw new IllegalArgumentException(e.reason(), e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JsonMapper.get().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode objectWithout(String json, String field) {
        ObjectNode node = (ObjectNode) json(json);
        node.remove(field);
        return node;
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public static CompletableFuture<HttpResponse<String>> post(int port, String body) {
        return post(port, "/events", HttpRequest.BodyPublishers.ofString(body));
    }

    public static CompletableFuture<HttpResponse<String>> post(int port, String path, HttpRequest.BodyPublisher body) {
        HttpRequest request = HttpRequest.newBuilder(uri(port, path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(body)
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
