package dev.eventpipeline.embedded.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a Connect worker's {@code GET /health} to answer 200 (Connect 3.9+). */
final class ConnectHealth {
    private ConnectHealth() {
    }

    /**
     * @param exitReason returns why the worker is gone (a child process that exited), or null while
     *                   it may still come up
     */
    static void await(String restUrl, Duration timeout, Supplier<String> exitReason) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(restUrl + "/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try {
            while (System.nanoTime() < deadline) {
                String exited = exitReason.get();
                if (exited != null) {
                    throw new IOException(exited);
                }
                try {
                    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (resp.statusCode() == 200) {
                        return;
                    }
                    last = resp.statusCode() + " " + resp.body();
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Connect", e);
        }
        throw new IOException("Kafka Connect did not become healthy within " + timeout + ": " + last);
    }
}
