package dev.eventpipeline.gateway.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.gateway.http.Router;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's ingestion relay against a stand-in for the connector's listener (a real Jetty server
 * answering as the connector does): back-pressure answers and close codes reach the client unchanged.
 */
class IngestProxyTest {
    final HttpClient http = HttpClient.newHttpClient();
    Server upstream;
    Server gateway;
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    final dev.eventpipeline.gateway.latency.LatencyMeters latency = new dev.eventpipeline.gateway.latency.LatencyMeters(meters);

    /** The stand-in: 429 + Retry-After for POST /events, echoes the path and API key; WS closes 4401 without a key, else acks. */
    String startUpstream() throws Exception {
        upstream = new Server();
        ServerConnector c = new ServerConnector(upstream);
        c.setHost("127.0.0.1");
        c.setPort(0);
        upstream.addConnector(c);
        Handler http = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                if (path.equals("/events")) {
                    response.setStatus(429);
                    response.getHeaders().put("Retry-After", "1");
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    Content.Sink.write(response, true, "{\"status\":\"failed\",\"reason\":\"ingestion buffer full; retry after back-off\"}", callback);
                } else {
                    response.setStatus(200);
                    Content.Sink.write(response, true, path + "?" + request.getHttpURI().getQuery() + " key=" + request.getHeaders().get("X-API-Key"), callback);
                }
                return true;
            }
        };
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(upstream, container -> container.addMapping("/events/stream",
                (req, resp, cb) -> stalled != null ? stalled : new AckingEndpoint(req.getHeaders().get("X-API-Key") != null)));
        ws.setHandler(http);
        upstream.setHandler(ws);
        upstream.start();
        return "http://127.0.0.1:" + c.getLocalPort();
    }

    /** When set, the stand-in answers WebSocket upgrades with this endpoint. */
    volatile StalledEndpoint stalled;

    /** A connector whose buffer is full: it reads one frame and then never asks for the next. */
    public static final class StalledEndpoint implements Session.Listener {
        final java.util.concurrent.atomic.AtomicInteger frames = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onWebSocketOpen(Session s) {
            s.demand();
        }

        @Override
        public void onWebSocketText(String text) {
            frames.incrementAndGet(); // no demand(): nothing more is read from the socket
        }
    }

    /** Public: Jetty calls the listener methods reflectively. */
    public static final class AckingEndpoint implements Session.Listener.AutoDemanding {
        private final boolean keyed;
        private Session session;

        AckingEndpoint(boolean keyed) {
            this.keyed = keyed;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            if (!keyed) {
                s.close(4401, "missing API key", org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketText(String text) {
            session.sendText("{\"ack\":" + text + "}", org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }

    String startGateway(String ingestUrl) throws Exception {
        gateway = new Server();
        ServerConnector c = new ServerConnector(gateway);
        c.setHost("127.0.0.1");
        c.setPort(0);
        gateway.addConnector(c);
        IngestProxy proxy = new IngestProxy(ingestUrl, latency);
        Router router = new Router().delegate("POST", "/v1/events", proxy).delegate("GET", "/v1/events/stats", proxy);
        gateway.setHandler(StreamProxies.wrap(gateway, ingestUrl, router));
        gateway.start();
        return "http://127.0.0.1:" + c.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    void backPressureAndPathsPassThrough() throws Exception {
        String base = startGateway(startUpstream());
        HttpResponse<String> busy = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.body()).contains("ingestion buffer full");
        // The relayed answer is an acknowledgement (here a refusal): its latency is recorded.
        // (recorded once the relay completes, which may be just after the client has read the answer)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (meters.find("pipeline.ingest.ack.latency").timer() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(meters.get("pipeline.ingest.ack.latency").tags("endpoint", "/v1/events", "status", "429").timer().count()).isEqualTo(1);

        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events/stats?x=1"))
                .header("X-API-Key", "k1").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stats.body()).isEqualTo("/events/stats?x=1 key=k1");
    }

    @Test
    void anUnreachableListenerIsA503ProblemWithRetryAfter() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String base = startGateway("http://127.0.0.1:" + closedPort);
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(503);
        assertThat(resp.headers().firstValue("Retry-After")).contains("1");
        assertThat(resp.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(new ObjectMapper().readTree(resp.body()).path("detail").asText()).contains("nothing was written");
    }

    /**
     * When the connector stops reading, the gateway stops reading the client: the client's sends stop
     * completing (its send blocks, as without the gateway) instead of the gateway buffering the stream.
     */
    @Test
    void aStalledConnectorStopsTheGatewayReadingTheClient() throws Exception {
        stalled = new StalledEndpoint();
        String base = startGateway(startUpstream()).replace("http://", "ws://") + StreamProxies.PATH;
        WebSocket client = http.newWebSocketBuilder().header("X-API-Key", "k1")
                .buildAsync(URI.create(base), new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        String frame = "[" + "\"x\",".repeat(12_000) + "\"x\"]"; // ≈ 48 KB
        int sent = 0;
        boolean blocked = false;
        long bytesLimit = 64L * 1024 * 1024; // far more than the loopback socket buffers of both hops
        while ((long) sent * frame.length() < bytesLimit) {
            try {
                client.sendText(frame, true).get(3, TimeUnit.SECONDS);
                sent++;
            } catch (java.util.concurrent.TimeoutException e) {
                blocked = true;
                break;
            }
        }
        assertThat(blocked).as("the client's send blocked after " + sent + " frames").isTrue();
        assertThat(stalled.frames.get()).as("the stalled connector read only its first frame").isEqualTo(1);
        // Measured: ≈176 frames (8.4 MB) fit in the client→gateway and gateway→connector socket buffers.
        assertThat((long) sent * frame.length()).as("what the two socket buffers hold, not the whole stream")
                .isLessThan(bytesLimit / 2);
        client.abort();
    }

    @Test
    void webSocketFramesAndCloseCodesPassThrough() throws Exception {
        String base = startGateway(startUpstream()).replace("http://", "ws://") + StreamProxies.PATH;
        CompletableFuture<String> frame = new CompletableFuture<>();
        WebSocket keyed = http.newWebSocketBuilder().header("X-API-Key", "k1").buildAsync(URI.create(base), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frame.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        keyed.sendText("{\"eventId\":\"e1\"}", true).get(5, TimeUnit.SECONDS);
        assertThat(frame.get(10, TimeUnit.SECONDS)).isEqualTo("{\"ack\":{\"eventId\":\"e1\"}}");
        keyed.sendClose(WebSocket.NORMAL_CLOSURE, "bye");

        CompletableFuture<Integer> closed = new CompletableFuture<>();
        http.newWebSocketBuilder().buildAsync(URI.create(base), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
    }
}
