package dev.eventpipeline.reliability.corpus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A second event-source connector that requires API keys (the embedded shape's own runs without
 * keys), created through Connect's REST API, for the corpus' missing- and forged-key requests.
 */
public final class AuthListener {
    public static final String NAME = "event-source-auth";

    private AuthListener() {
    }

    /** Creates the connector listening on {@code port}; waits until the port is open. */
    public static void deploy(String connectUrl, String host, int port, String apiKey) throws IOException, InterruptedException {
        String config = "{\"connector.class\":\"dev.eventpipeline.ingest.EventSourceConnector\",\"tasks.max\":\"1\","
                + "\"topic\":\"cart-events-raw\",\"listener.host\":\"" + host + "\",\"listener.port\":\"" + port + "\","
                + "\"auth.api.keys\":\"" + apiKey + "\","
                + "\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\","
                + "\"value.converter\":\"org.apache.kafka.connect.storage.StringConverter\"}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(connectUrl + "/connectors/" + NAME + "/config"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("creating " + NAME + ": HTTP " + r.statusCode() + " " + r.body());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!dev.eventpipeline.embedded.PortCheck.isListening(host, port)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(NAME + " did not open port " + port + " within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
