package dev.eventpipeline.gateway.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each transition as JSON (the alerts topic's record value) to a webhook, asynchronously; a
 * failure or non-2xx answer is logged, never retried forever (the alerts topic is the durable record).
 */
public final class WebhookAlertPublisher implements AlertPublisher {
    private static final Logger log = LoggerFactory.getLogger(WebhookAlertPublisher.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI url;

    public WebhookAlertPublisher(String url) {
        this.url = URI.create(url);
    }

    @Override
    public void publish(Alert alert) {
        String body;
        try {
            body = KafkaAlertPublisher.JSON.writeValueAsString(alert);
        } catch (Exception e) {
            log.warn("alert {} not serialisable: {}", alert.id(), e.toString());
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, e) -> {
            if (e != null) {
                log.warn("alert webhook {} failed for {} {}: {}", url, alert.id(), alert.state(), e.toString());
            } else if (resp.statusCode() / 100 != 2) {
                log.warn("alert webhook {} answered {} for {} {}", url, resp.statusCode(), alert.id(), alert.state());
            }
        });
    }
}
