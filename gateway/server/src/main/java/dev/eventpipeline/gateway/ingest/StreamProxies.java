package dev.eventpipeline.gateway.ingest;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mounts {@code /v1/events/stream}: WebSocket upgrades on that path become {@link StreamProxy}
 * pairs; every other request goes on to {@code next}.
 */
public final class StreamProxies {
    public static final String PATH = "/v1/events/stream";
    /** Above the connector's default max.request.bytes (500 KB): the connector enforces its own limit (1009). */
    static final long MAX_MESSAGE_BYTES = 4L << 20;

    private StreamProxies() {
    }

    public static Handler wrap(Server server, String ingestUrl, Handler next) {
        URI upstream = URI.create(ingestUrl.replaceFirst("^http", "ws") + "/events/stream");
        WebSocketClient client = new WebSocketClient();
        client.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
        client.setIdleTimeout(Duration.ofMinutes(10)); // the connector closes idle streams itself (1001)
        server.addBean(client); // started and stopped with the server
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            container.setMaxFrameSize(MAX_MESSAGE_BYTES);
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping(PATH, (req, resp, cb) -> {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (String name : StreamProxy.FORWARDED_HEADERS) {
                    List<String> values = req.getHeaders().getValuesList(name);
                    if (!values.isEmpty()) {
                        headers.put(name, values);
                    }
                }
                return new StreamProxy(client, upstream, headers);
            });
        });
        upgrade.setHandler(next);
        return upgrade;
    }
}
