package dev.eventpipeline.gateway.ingest;

import dev.eventpipeline.gateway.http.Problem;
import dev.eventpipeline.gateway.http.Reply;
import dev.eventpipeline.gateway.latency.LatencyMeters;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;

/**
 * {@code /v1/events…} over HTTP, forwarded by Jetty's reverse proxy to the event-source connector's
 * listener ({@code /events…}). The connector answers as it always does (acknowledgement after the
 * Kafka write, per-event results, 429/503 with {@code Retry-After} under back-pressure): status,
 * headers and body come back unchanged, streamed. Only when the listener cannot be reached does the
 * gateway answer itself: 503 + {@code Retry-After: 1} as a problem document, because a client should
 * retry exactly as it would after the connector's own 503.
 */
public final class IngestProxy extends ProxyHandler.Reverse {
    static final String PREFIX = "/v1";

    private final LatencyMeters latency;

    /** @param latency where the ack latency of each relayed request goes (null: not recorded) */
    public IngestProxy(String ingestUrl, LatencyMeters latency) {
        super(request -> rewrite(URI.create(ingestUrl), request));
        this.latency = latency;
    }

    /** The connector's answer has been relayed completely: that is the client's acknowledgement. */
    @Override
    protected void onProxyToClientResponseComplete(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                                   org.eclipse.jetty.client.Response serverToProxyResponse, Response proxyToClientResponse,
                                                   Callback proxyToClientCallback) {
        if (latency != null) {
            latency.ingestAck(Request.getPathInContext(clientToProxyRequest), serverToProxyResponse.getStatus(),
                    java.time.Duration.ofNanos(System.nanoTime() - clientToProxyRequest.getBeginNanoTime()));
        }
        super.onProxyToClientResponseComplete(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                proxyToClientResponse, proxyToClientCallback);
    }

    static HttpURI rewrite(URI upstream, Request request) {
        HttpURI in = request.getHttpURI();
        String path = Request.getPathInContext(request).substring(PREFIX.length());
        return HttpURI.build().scheme(upstream.getScheme()).host(upstream.getHost()).port(upstream.getPort())
                .path(path).query(in.getQuery());
    }

    @Override
    protected HttpClient newHttpClient() {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("gateway-ingest-proxy");
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        // The connector holds each request until its events are acknowledged (up to its ack timeout),
        // so many requests are in flight at once, each for a while.
        client.setMaxConnectionsPerDestination(1024);
        client.setIdleTimeout(120_000);
        client.setConnectTimeout(3_000);
        return client;
    }

    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                                  org.eclipse.jetty.client.Response serverToProxyResponse, Response proxyToClientResponse,
                                                  Callback proxyToClientCallback, Throwable failure) {
        if (proxyToClientResponse.isCommitted()) {
            super.onServerToProxyResponseFailure(clientToProxyRequest, proxyToServerRequest, serverToProxyResponse,
                    proxyToClientResponse, proxyToClientCallback, failure);
            return;
        }
        Reply problem = Problem.of(503, "ingestion-unavailable", "Service Unavailable",
                "the event-source connector's listener cannot be reached (" + failure.getClass().getSimpleName() + ": "
                        + failure.getMessage() + "); nothing was written, retry after Retry-After",
                Request.getPathInContext(clientToProxyRequest)).withHeader("Retry-After", "1");
        proxyToClientResponse.reset();
        proxyToClientResponse.setStatus(problem.status());
        proxyToClientResponse.getHeaders().put(HttpHeader.CONTENT_TYPE, problem.contentType() + "; charset=utf-8");
        problem.headers().forEach((k, v) -> proxyToClientResponse.getHeaders().put(k, v));
        Content.Sink.write(proxyToClientResponse, true, problem.body(), proxyToClientCallback);
    }
}
