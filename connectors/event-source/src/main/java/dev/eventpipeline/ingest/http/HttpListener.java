package dev.eventpipeline.ingest.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One task's embedded Jetty 12 server (core API, no servlets): one HTTP/1.1 connector on
 * {@code host:port}, the handler wrapped in a {@link GracefulHandler} so that {@link #stop()} lets
 * already-answered responses finish writing before connections close.
 */
public final class HttpListener {
    /** How long stop() waits for in-flight responses to be written. */
    static final long STOP_TIMEOUT_MS = 5_000;
    static final long SHUTDOWN_IDLE_TIMEOUT_MS = 200;

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    /**
     * @param idleTimeoutMs connection idle timeout; must exceed the ack timeout so that a request
     *                      waiting for Kafka is answered by us, not dropped by Jetty
     */
    public HttpListener(String name, String host, int port, long idleTimeoutMs, Handler handler) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name + "-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        this.connector.setHost(host);
        this.connector.setPort(port);
        this.connector.setIdleTimeout(idleTimeoutMs);
        this.host = host;
        server.addConnector(connector);
        GracefulHandler graceful = new GracefulHandler(handler);
        // At stop, keep-alive connections idle this long are closed instead of holding up the stop.
        graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
        server.setHandler(graceful);
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        server.start();
    }

    public void stop() throws Exception {
        server.stop();
    }

    /** Port actually bound (differs from the configured one when that was 0); -1 before start. */
    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return host;
    }

    public boolean isRunning() {
        return server.isRunning();
    }
}
