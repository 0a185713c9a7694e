package dev.eventpipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket client that collects ack frames (object or array) as single acks. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    public final LinkedBlockingQueue<JsonNode> acks = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    public static WsClient connect(String url, String... subprotocols) throws Exception {
        return connectWithKey(url, null, subprotocols);
    }

    public static WsClient connectWithKey(String url, String apiKeyHeader, String... subprotocols) throws Exception {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (apiKeyHeader != null) {
            builder.header("X-API-Key", apiKeyHeader);
        }
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    public void send(String text) throws Exception {
        socket.sendText(text, true).get(20, TimeUnit.SECONDS);
    }

    public CompletableFuture<WebSocket> sendAsync(String text) {
        return socket.sendText(text, true);
    }

    /** The next {@code n} acks, waiting up to 20 s. */
    public List<JsonNode> take(int n) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() < n && System.nanoTime() < deadline) {
            JsonNode ack = acks.poll(100, TimeUnit.MILLISECONDS);
            if (ack != null) {
                out.add(ack);
            }
        }
        return out;
    }

    /**
     * Sends frames of {@code perFrame} events (ids {@code prefix-frame-i}) from a daemon thread until the
     * server closes the connection (or 100,000 frames); returns the started thread.
     */
    public Thread streamInBackground(String prefix, int perFrame) {
        Thread sender = new Thread(() -> {
            try {
                for (int f = 0; f < 100_000 && !closeCode.isDone(); f++) {
                    StringBuilder frame = new StringBuilder("[");
                    for (int i = 0; i < perFrame; i++) {
                        frame.append(i == 0 ? "" : ",").append(TestEvents.event(prefix + "-" + f + "-" + i));
                    }
                    send(frame.append(']').toString());
                }
            } catch (Exception e) {
                // closed by the server (or the worker died)
            }
        }, "ws-stream-" + prefix);
        sender.setDaemon(true);
        sender.start();
        return sender;
    }

    public WebSocket socket() {
        return socket;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode frame = TestEvents.json(partial.toString());
            partial.setLength(0);
            if (frame.isArray()) {
                frame.forEach(acks::add);
            } else {
                acks.add(frame);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
