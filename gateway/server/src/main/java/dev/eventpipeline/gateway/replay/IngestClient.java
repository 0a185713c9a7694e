package dev.eventpipeline.gateway.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends one event to the event-source connector's listener ({@code POST /events}), as a client
 * would: the answer is the connector's own acknowledgement, given once Kafka has the event.
 */
public final class IngestClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String ingestUrl;

    public IngestClient(String ingestUrl) {
        this.ingestUrl = ingestUrl;
    }

    public record Ack(int httpStatus, JsonNode body) {
    }

    public Ack post(byte[] event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/events"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build();
        HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = JsonMapper.get().readTree(resp.body());
        } catch (IOException notJson) {
            body = JsonMapper.get().createObjectNode().put("reason", resp.body());
        }
        return new Ack(resp.statusCode(), body);
    }
}
