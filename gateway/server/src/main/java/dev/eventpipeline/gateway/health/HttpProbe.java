package dev.eventpipeline.gateway.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Up when {@code GET url} answers 200 (Connect's {@code /}, ClickHouse's {@code /ping}). */
public final class HttpProbe implements DependencyProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final String name;
    private final URI url;

    public HttpProbe(String name, String url) {
        this.name = name;
        this.url = URI.create(url);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Check check() {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = resp.body().strip();
            String detail = "GET " + url + " -> " + resp.statusCode() + (body.length() <= 120 ? " " + body : "");
            return resp.statusCode() == 200 ? Check.up(name, detail, KafkaProbe.millisSince(t0))
                    : Check.down(name, detail, KafkaProbe.millisSince(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.down(name, "interrupted", KafkaProbe.millisSince(t0));
        } catch (Exception e) {
            return Check.down(name, "GET " + url + " failed: " + e, KafkaProbe.millisSince(t0));
        }
    }
}
