package dev.eventpipeline.ingest.http;

import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.WsClient;
import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.auth.ApiKeyAuthenticator;
import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.ingest.protocol.EventParser;
import dev.eventpipeline.ingest.stats.IngestStats;
import dev.eventpipeline.ingest.ws.StreamEndpoint;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHeadDeadlineTest {
    private static final String HEAD = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final IngestStats stats = new IngestStats();
    private HttpListener listener;

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.stop();
        }
        scheduler.shutdownNow();
    }

    private int start(long headTimeoutMs) throws Exception {
        EventSourceConfig config = new EventSourceConfig(Map.of("listener.request.head.timeout.ms", Long.toString(headTimeoutMs)));
        var settings = new StreamEndpoint.Settings(100, 60_000, 0, 1 << 20);
        var streams = new StreamEndpoint.Factory((events, cb) -> {
            for (int i = 0; i < events.size(); i++) {
                cb.onOutcome(i, new Outcome.Accepted("raw", 0, i));
            }
            return Admission.QUEUED;
        }, new EventParser(32_768, 100), new ApiKeyAuthenticator(List.of()), stats, scheduler, settings);
        listener = new HttpListener("head", "127.0.0.1", 0, 30_000, new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        }, streams, settings, config);
        listener.start();
        return listener.port();
    }

    @Test
    @Timeout(30)
    void aClientTricklingItsRequestHeadIsClosedAtTheDeadline() throws Exception {
        int port = start(600);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            byte[] head = ("POST /events HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean closed = false;
            // A byte every 50 ms: well inside Jetty's idle timeout, so only the head deadline can close it.
            for (int i = 0; i < head.length - 1 && !closed; i++) {
                try {
                    out.write(head[i]);
                    out.flush();
                    closed = readsEndOfStream(s.getInputStream(), 50);
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).as("closed by the server").isTrue();
            assertThat(elapsedMs).as("closed at the deadline, not by the idle timeout").isBetween(500L, 5_000L);
        }
        assertThat(stats.slowClientsClosed()).isEqualTo(1);
        assertThat(stats.toJson("t")).contains("\"slowClientsClosed\":1");
    }

    @Test
    @Timeout(30)
    void aKeepAliveConnectionIdleBetweenRequestsIsNotTimed() throws Exception {
        int port = start(300);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            assertThat(roundTrip(s)).startsWith("HTTP/1.1 200");
            Thread.sleep(1_000); // idle for three head timeouts
            assertThat(roundTrip(s)).as("still open for the next request").startsWith("HTTP/1.1 200");
        }
        assertThat(stats.slowClientsClosed()).isZero();
    }

    @Test
    @Timeout(30)
    void anUpgradedWebSocketConnectionIsNotTimed() throws Exception {
        int port = start(300);
        try (WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
            Thread.sleep(1_000);
            client.send(TestEvents.event("late"));
            assertThat(client.take(1).get(0).path("status").asText()).isEqualTo("accepted");
        }
        assertThat(stats.slowClientsClosed()).isZero();
    }

    @Test
    void zeroTurnsTheDeadlineOff() throws Exception {
        int port = start(0);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(100);
            s.getOutputStream().write('G');
            Thread.sleep(500);
            assertThat(readsEndOfStream(s.getInputStream(), 100)).isFalse();
        }
    }

    private static String roundTrip(Socket s) throws Exception {
        s.getOutputStream().write(HEAD.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] buf = new byte[4096];
        int n = s.getInputStream().read(buf);
        return new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
    }

    /** True when the server closed the connection (end of stream) within {@code waitMs}. */
    private static boolean readsEndOfStream(InputStream in, int waitMs) throws java.io.IOException {
        long end = System.nanoTime() + waitMs * 1_000_000L;
        while (System.nanoTime() < end) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException e) {
                // nothing yet
            }
        }
        return false;
    }
}
