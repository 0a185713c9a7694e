package dev.eventpipeline.ingest.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose first request head (request line and headers) has not arrived within
 * {@code timeoutMs} of connecting: a slow-loris client that trickles its head a byte at a time resets
 * Jetty's idle timeout with every byte and would otherwise hold the connection for ever. Like Go's
 * {@code http.Server.ReadHeaderTimeout}. The connection is closed without an answer (no request exists
 * yet to answer); {@code onClosed} counts it.
 *
 * <p>Only the first request of a connection is timed: timing later ones would also close healthy
 * keep-alive connections that a load balancer holds idle between requests. Upgraded WebSocket
 * connections have their own idle and pong checks.
 */
final class RequestHeadDeadline extends Handler.Wrapper implements Connection.Listener {
    private static final Logger log = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private final long timeoutMs;
    private final Scheduler scheduler;
    private final Runnable onClosed;
    /** Connections whose first request head has not arrived yet. */
    private final Set<Connection> waiting = ConcurrentHashMap.newKeySet();

    RequestHeadDeadline(Handler handler, long timeoutMs, Scheduler scheduler, Runnable onClosed) {
        super(handler);
        this.timeoutMs = timeoutMs;
        this.scheduler = scheduler;
        this.onClosed = onClosed;
    }

    @Override
    public void onOpened(Connection connection) {
        // HTTP connections only (they are their requests' ConnectionMetaData); not the TLS layer below them,
        // nor a WebSocket connection that replaced one after an upgrade.
        if (!(connection instanceof ConnectionMetaData)) {
            return;
        }
        waiting.add(connection);
        scheduler.schedule(() -> expire(connection), timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        waiting.remove(connection);
    }

    private void expire(Connection connection) {
        if (waiting.remove(connection) && connection.getEndPoint().isOpen()) {
            log.debug("Closing {}: no request head within {} ms", connection.getEndPoint().getRemoteSocketAddress(), timeoutMs);
            onClosed.run();
            connection.getEndPoint().close();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        waiting.remove(request.getConnectionMetaData().getConnection());
        return super.handle(request, response, callback);
    }
}
