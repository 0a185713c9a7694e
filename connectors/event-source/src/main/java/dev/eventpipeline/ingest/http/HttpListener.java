package dev.eventpipeline.ingest.http;

import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.ingest.ws.StreamEndpoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.time.Duration;

/**
 * One task's embedded Jetty 12 server (core API, no servlets): one HTTP/1.1 connector (TLS when a key
 * store is configured) on {@code host:port}; WebSocket upgrades on {@code /events/stream} go to
 * {@link StreamEndpoint}, everything else to {@link EventsHandler}, inside a {@link GracefulHandler} so
 * that {@link #stop()} lets already-answered responses finish writing.
 */
public final class HttpListener {
    /** How long stop() waits for in-flight responses to be written. */
    static final long STOP_TIMEOUT_MS = 5_000;
    static final long SHUTDOWN_IDLE_TIMEOUT_MS = 200;
    /** How long stop() waits for WebSocket clients to complete the close handshake. */
    static final long CLOSE_HANDSHAKE_MS = 2_000;
    /** Bounds the threads (and their stacks) whatever the number of clients; reads are mostly async. */
    static final int MAX_THREADS = 64;
    /** Bytes Jetty reads from a WebSocket connection at a time. */
    static final int WS_INPUT_BUFFER_BYTES = 64 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final StreamEndpoint.Factory streams;

    /**
     * @param idleTimeoutMs HTTP connection idle timeout; must exceed the ack timeout so that a request
     *                      waiting for Kafka is answered by us, not dropped by Jetty
     */
    public HttpListener(String name, String host, int port, long idleTimeoutMs, Handler handler,
                        StreamEndpoint.Factory streams, StreamEndpoint.Settings ws, EventSourceConfig config) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName(name + "-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.streams = streams;
        streams.executor(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        if (config != null && config.tlsEnabled()) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(config.tlsKeystorePath());
            tls.setKeyStorePassword(config.tlsKeystorePassword());
            tls.setKeyStoreType(config.tlsKeystoreType());
            http.addCustomizer(new SecureRequestCustomizer(false));
            this.connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
        } else {
            this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        this.connector.setHost(host);
        this.connector.setPort(port);
        this.connector.setIdleTimeout(idleTimeoutMs);
        this.host = host;
        server.addConnector(connector);

        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            // Our own idle check (StreamEndpoint.tick) closes idle clients with 1001; Jetty's is a backstop.
            container.setIdleTimeout(Duration.ofMillis(ws.idleTimeoutMs() + ws.pingIntervalMs() + 10_000));
            container.setMaxTextMessageSize(ws.maxMessageBytes());
            container.setMaxBinaryMessageSize(1024);
            container.setMaxFrameSize(ws.maxMessageBytes());
            // Jetty reads 4 KiB at a time by default, so a 30 KiB frame of 100 events arrives as eight fragments,
            // each a parse + callback + demand round; one read per frame gave 38 % more events/s (the load generator
            // against the listener alone with an instant sink, 16 connections, 2026-11-27).
            // The buffer is pooled and only held while a connection is being read, so idle connections cost nothing.
            container.setInputBufferSize(WS_INPUT_BUFFER_BYTES);
            container.addMapping(EventsHandler.STREAM_PATH, streams);
        });
        upgrade.setHandler(handler);
        Handler root = upgrade;
        long headTimeoutMs = config == null ? EventSourceConfig.LISTENER_REQUEST_HEAD_TIMEOUT_MS_DEFAULT
                : config.listenerRequestHeadTimeoutMs();
        if (headTimeoutMs > 0) {
            RequestHeadDeadline deadline = new RequestHeadDeadline(upgrade, headTimeoutMs, connector.getScheduler(),
                    streams.stats()::slowClientClosed);
            connector.addEventListener(deadline);
            root = deadline;
        }
        GracefulHandler graceful = new GracefulHandler(root);
        graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
        server.setHandler(graceful);
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        server.start();
    }

    /** Closes WebSocket connections with 1012 (after their pending acks), then stops the server. */
    public void stop() throws Exception {
        streams.closeAll("connector stopping; reconnect and retry");
        // Give clients a moment to answer the close handshake, so they see 1012 rather than a reset.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(CLOSE_HANDSHAKE_MS);
        while (streams.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
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

    /** Open TCP connections minus the upgraded WebSocket ones. */
    public int openHttpConnections() {
        return Math.max(0, connector.getConnectedEndPoints().size() - streams.openConnections());
    }
}
