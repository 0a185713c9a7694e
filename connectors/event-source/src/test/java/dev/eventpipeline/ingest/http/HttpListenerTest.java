package dev.eventpipeline.ingest.http;

import dev.eventpipeline.ingest.TestEvents;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpListenerTest {
    private static Handler hello() {
        return new Handler.Abstract() {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                              org.eclipse.jetty.util.Callback callback) {
            Content.Sink.write(response, true, "hello", callback);
            return true;
        }
        };
    }

    @Test
    void bindsAnEphemeralPortServesAndStops() throws Exception {
        HttpListener listener = listener("test", 0, hello());
        assertThat(listener.port()).isEqualTo(-1);
        listener.start();
        int port = listener.port();
        try {
            assertThat(port).isPositive();
            assertThat(listener.isRunning()).isTrue();
            assertThat(listener.host()).isEqualTo("127.0.0.1");
            var response = TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(port, "/")).build());
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.headers().firstValue("Server")).as("no version banner").isEmpty();
        } finally {
            listener.stop();
        }
        assertThat(listener.isRunning()).isFalse();
        assertThatThrownBy(() -> TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(port, "/")).build()))
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void secondListenerOnTheSamePortFailsToStart() throws Exception {
        HttpListener first = listener("a", 0, hello());
        first.start();
        try {
            HttpListener second = listener("b", first.port(), hello());
            assertThatThrownBy(second::start).isInstanceOf(java.io.IOException.class);
            second.stop();
        } finally {
            first.stop();
        }
    }

    /** A listener whose WebSocket side refuses everything (tests of the HTTP side). */
    static HttpListener listener(String name, int port, Handler handler) {
        var settings = new dev.eventpipeline.ingest.ws.StreamEndpoint.Settings(100, 60_000, 0, 4096);
        var streams = new dev.eventpipeline.ingest.ws.StreamEndpoint.Factory((events, cb) -> dev.eventpipeline.ingest.ack.Admission.STOPPING,
                new dev.eventpipeline.ingest.protocol.EventParser(2048, 100),
                new dev.eventpipeline.ingest.auth.ApiKeyAuthenticator(java.util.List.of()),
                new dev.eventpipeline.ingest.stats.IngestStats(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), settings);
        return new HttpListener(name, "127.0.0.1", port, 30_000, handler, streams, settings, null);
    }
}
