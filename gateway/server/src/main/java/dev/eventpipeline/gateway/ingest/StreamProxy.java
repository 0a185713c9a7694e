package dev.eventpipeline.gateway.ingest;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * One client WebSocket on {@code /v1/events/stream}, paired with one upstream WebSocket to the
 * connector's {@code /events/stream}. Frames are relayed as they are (events one way, the connector's
 * acks the other), and reading is driven by explicit demand on both sides: the next client frame is
 * read only once the previous one has been written upstream, and the next upstream frame only once
 * it has been written to the client. So when the connector stops reading (its window of
 * unacknowledged events is full), the gateway stops reading the client too: back-pressure reaches the
 * client as it would without the gateway. Close codes pass through both ways (the connector's 1012 on
 * a restart, 4401 for a bad key, 1009 for a too large frame…).
 */
public final class StreamProxy implements Session.Listener { // public: Jetty invokes the listener methods reflectively
    private static final Logger log = LoggerFactory.getLogger(StreamProxy.class);
    /** Headers a client's upgrade request carries that the connector reads. */
    static final List<String> FORWARDED_HEADERS = List.of("X-API-Key", "Authorization");

    private final WebSocketClient client;
    private final URI upstreamUri;
    private final Map<String, List<String>> headers;
    private volatile Session downstream;
    private volatile Session upstream;

    public StreamProxy(WebSocketClient client, URI upstreamUri, Map<String, List<String>> headers) {
        this.client = client;
        this.upstreamUri = upstreamUri;
        this.headers = headers;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.downstream = session;
        ClientUpgradeRequest request = new ClientUpgradeRequest(upstreamUri);
        headers.forEach(request::setHeader);
        try {
            client.connect(new Upstream(), request).whenComplete((up, failure) -> {
                if (failure != null) {
                    log.debug("upstream {} not reachable: {}", upstreamUri, failure.toString());
                    session.close(StatusCode.TRY_AGAIN_LATER, "ingestion listener unreachable; retry", Callback.NOOP);
                } else {
                    upstream = up;
                    session.demand(); // only now: nothing is read from the client before there is somewhere to send it
                }
            });
        } catch (Exception e) {
            session.close(StatusCode.TRY_AGAIN_LATER, "ingestion listener unreachable; retry", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketText(String text) {
        Session up = upstream;
        up.sendText(text, Callback.from(downstream::demand, failure -> closeBoth(StatusCode.SERVER_ERROR, "upstream write failed")));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // The connector rejects binary frames (1003); relay them so the client hears it from the connector.
        upstream.sendBinary(payload, Callback.from(() -> {
            callback.succeed();
            downstream.demand();
        }, failure -> {
            callback.fail(failure);
            closeBoth(StatusCode.SERVER_ERROR, "upstream write failed");
        }));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        Session up = upstream;
        if (up != null && up.isOpen()) {
            up.close(sendable(statusCode), reason, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("client WebSocket error: {}", cause.toString());
    }

    private void closeBoth(int code, String reason) {
        Session down = downstream;
        Session up = upstream;
        if (down != null && down.isOpen()) {
            down.close(code, reason, Callback.NOOP);
        }
        if (up != null && up.isOpen()) {
            up.close(code, reason, Callback.NOOP);
        }
    }

    /** 1005/1006/1015 describe a connection, not a close frame: they cannot be sent. */
    static int sendable(int code) {
        return code == StatusCode.NO_CODE || code == StatusCode.NO_CLOSE || code == StatusCode.FAILED_TLS_HANDSHAKE
                ? StatusCode.SERVER_ERROR : code;
    }

    /** The connector's side: acks (and its close) go back to the client. */
    public final class Upstream implements Session.Listener {
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            session.demand();
        }

        @Override
        public void onWebSocketText(String text) {
            downstream.sendText(text, Callback.from(session::demand, failure -> closeBoth(StatusCode.SERVER_ERROR, "client write failed")));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            Session down = downstream;
            if (down != null && down.isOpen()) {
                down.close(sendable(statusCode), reason, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            log.debug("upstream WebSocket error: {}", cause.toString());
        }
    }
}
