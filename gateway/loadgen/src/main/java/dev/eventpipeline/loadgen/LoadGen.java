package dev.eventpipeline.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load generator for the event-source connector.
 *
 * <pre>
 * java -cp ... dev.eventpipeline.loadgen.LoadGen --mode ws --url ws://127.0.0.1:8088/events/stream \
 *      --rate 0 --batch 100 --duration 30 --concurrency 4 --bootstrap 127.0.0.1:9092
 * </pre>
 *
 * Options: {@code --mode ws|http}; {@code --url} (ws://host:port/events/stream or http://host:port);
 * {@code --rate} target events/s over all connections, 0 = as fast as acks allow; {@code --batch} events
 * per WS frame / HTTP batch request; {@code --duration} seconds of sending; {@code --concurrency}
 * connections (WS) or request threads (HTTP); {@code --window} most unacknowledged events per WS
 * connection (default 2000, the connector's ws.max.inflight.per.connection); {@code --api-key};
 * {@code --bootstrap} Kafka bootstrap servers: when given, every accepted ack is read back from Kafka
 * (no ack without a record); {@code --idle-connections} extra WS connections that stay open and silent.
 * Prints a progress bar (stderr) and a summary (stdout); exits 1 if verification failed.
 */
public final class LoadGen {
    private static final JsonFactory JSON = new JsonFactory();

    public record Options(String mode, String url, long rate, int batch, int durationSeconds, int concurrency, int window,
                          String apiKey, String bootstrap, int idleConnections, boolean progress) {
        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument " + a);
                }
                int eq = a.indexOf('=');
                if (eq > 0) {
                    o.put(a.substring(2, eq), a.substring(eq + 1));
                } else if (a.equals("--no-progress")) {
                    o.put("no-progress", "true");
                } else {
                    o.put(a.substring(2), args[++i]);
                }
            }
            String mode = o.getOrDefault("mode", "ws");
            String url = o.getOrDefault("url", mode.equals("ws") ? "ws://127.0.0.1:8088/events/stream" : "http://127.0.0.1:8088");
            return new Options(mode, url, Long.parseLong(o.getOrDefault("rate", "0")),
                    Integer.parseInt(o.getOrDefault("batch", "100")), Integer.parseInt(o.getOrDefault("duration", "30")),
                    Integer.parseInt(o.getOrDefault("concurrency", "4")), Integer.parseInt(o.getOrDefault("window", "2000")),
                    o.get("api-key"), o.get("bootstrap"), Integer.parseInt(o.getOrDefault("idle-connections", "0")),
                    !o.containsKey("no-progress"));
        }
    }

    /** What a run measured. */
    public record Result(Options options, long sent, long accepted, long duplicate, long invalid, long failed,
                         long errors, double seconds, double p50, double p95, double p99, double max,
                         AckLedger.Verification verification) {
        public long answered() {
            return accepted + duplicate + invalid + failed;
        }

        public double eventsPerSecond() {
            return answered() / seconds;
        }

        public String summary() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "mode=%s url=%s rate=%s batch=%d concurrency=%d duration=%ds%n",
                    options.mode(), options.url(), options.rate() == 0 ? "max" : Long.toString(options.rate()),
                    options.batch(), options.concurrency(), options.durationSeconds()));
            b.append(String.format(Locale.ROOT, "events sent %,d, answered %,d in %.1f s: %,.0f events/s%n",
                    sent, answered(), seconds, eventsPerSecond()));
            b.append(String.format(Locale.ROOT, "status: accepted %,d  duplicate %,d  invalid %,d  failed %,d  (transport errors %,d)%n",
                    accepted, duplicate, invalid, failed, errors));
            b.append(String.format(Locale.ROOT, "ack latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", p50, p95, p99, max));
            if (verification != null) {
                b.append(String.format(Locale.ROOT, "verified against Kafka: %,d accepted acks, %,d found at the acked offset, "
                                + "%,d missing, %,d mismatched -> %s%n", verification.acked(), verification.found(),
                        verification.missing(), verification.mismatched(), verification.ok() ? "OK" : "FAILED"));
            } else {
                b.append("not verified against Kafka (no --bootstrap)\n");
            }
            return b.toString();
        }
    }

    private final Options options;
    private final String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final LongAdder sent = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicate = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Histogram latency = new Histogram();
    private final AckLedger ledger = new AckLedger();
    private final AtomicLong nextSendNanos = new AtomicLong();
    private final long nanosPerEvent;

    public LoadGen(Options options) {
        this.options = options;
        this.nanosPerEvent = options.rate() > 0 ? 1_000_000_000L / options.rate() : 0;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Result result = new LoadGen(options).run(System.err);
        System.out.print(result.summary());
        System.exit(result.verification() == null || result.verification().ok() ? 0 : 1);
    }

    public Result run(PrintStream progressOut) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(4)).build();
        WebSocketClient wsClient = new WebSocketClient();
        wsClient.setMaxTextMessageSize(64L << 20);
        // Frames of 100 events are ~30 KiB: read and write them whole, not in Jetty's default 4 KiB pieces.
        wsClient.setInputBufferSize(64 * 1024);
        wsClient.setOutputBufferSize(64 * 1024);
        wsClient.setIdleTimeout(Duration.ofMinutes(10));
        wsClient.start();
        List<Session> idle = new ArrayList<>();
        for (int i = 0; i < options.idleConnections(); i++) {
            idle.add(wsClient.connect(new IdleListener(), URI.create(wsUrl())).get(30, TimeUnit.SECONDS));
        }
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(options.durationSeconds());
        nextSendNanos.set(start);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        if (options.progress()) {
            ticker.scheduleAtFixedRate(() -> progress(progressOut, start), 1, 1, TimeUnit.SECONDS);
        }
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < options.concurrency(); c++) {
            int conn = c;
            Thread t = new Thread(() -> {
                try {
                    if (options.mode().equals("ws")) {
                        new WsSender(wsClient, conn, end).run();
                    } else {
                        httpSender(client, conn, end);
                    }
                } catch (Exception e) {
                    errors.increment();
                    System.err.println("\nconnection " + conn + " failed: " + e);
                }
            }, "sender-" + c);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ticker.shutdownNow();
        if (options.progress()) {
            progress(progressOut, start);
            progressOut.println();
        }
        for (Session ws : idle) {
            ws.disconnect();
        }
        wsClient.stop();
        AckLedger.Verification verification = options.bootstrap() == null ? null
                : ledger.verify(options.bootstrap(), Duration.ofSeconds(120));
        return new Result(options, sent.sum(), accepted.sum(), duplicate.sum(), invalid.sum(), failed.sum(), errors.sum(),
                seconds, latency.percentileMs(50), latency.percentileMs(95), latency.percentileMs(99), latency.maxMs(),
                verification);
    }

    private void progress(PrintStream out, long start) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int width = 30;
        int filled = (int) Math.min(width, width * elapsed / Math.max(1, options.durationSeconds()));
        long answered = accepted.sum() + duplicate.sum() + invalid.sum() + failed.sum();
        out.printf(Locale.ROOT, "\r[%s%s] %3.0f/%d s | sent %,d | acked %,d (%,.0f/s) | p99 %.1f ms | failed %,d   ",
                "=".repeat(filled), " ".repeat(width - filled), elapsed, options.durationSeconds(), sent.sum(), answered,
                answered / Math.max(0.001, elapsed), latency.percentileMs(99), failed.sum());
        out.flush();
    }

    /** Blocks until {@code events} may be sent under the target rate (no-op at max rate). */
    private void pace(int events) throws InterruptedException {
        if (nanosPerEvent == 0) {
            return;
        }
        long at = nextSendNanos.getAndAdd(events * nanosPerEvent);
        long wait = at - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** WebSocket URL; the API key travels as the {@code api_key} query parameter. */
    private String wsUrl() {
        String u = options.url();
        u = u.startsWith("http") ? u.replaceFirst("^http", "ws").replaceFirst("/events.*$", "") + "/events/stream" : u;
        if (options.apiKey() != null) {
            u += (u.contains("?") ? "&" : "?") + "api_key=" + java.net.URLEncoder.encode(options.apiKey(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return u;
    }

    private void countAck(Ack ack, long latencyNanos) {
        switch (ack.status()) {
            case "accepted" -> {
                accepted.increment();
                if (options.bootstrap() != null && ack.eventId() != null) {
                    ledger.add(ack.topic(), ack.partition(), ack.offset(), ack.eventId());
                }
            }
            case "duplicate" -> duplicate.increment();
            case "invalid" -> invalid.increment();
            default -> failed.increment();
        }
        if (latencyNanos >= 0) {
            latency.recordNanos(latencyNanos);
        }
    }

    /** One WebSocket connection: frames of {@code batch} events, at most {@code window} unacknowledged. */
    /** Public: Jetty's client looks its listener methods up through a public lookup. */
    public final class WsSender implements Session.Listener.AutoDemanding {
        private final WebSocketClient client;
        private final int conn;
        private final long end;
        private final Semaphore window;
        private final long[] sentAt;
        private final int mask;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        WsSender(WebSocketClient client, int conn, long end) {
            this.client = client;
            this.conn = conn;
            this.end = end;
            this.window = new Semaphore(options.window());
            int size = Integer.highestOneBit(Math.max(2, options.window() + options.batch()) * 4);
            this.sentAt = new long[size];
            this.mask = size - 1;
        }

        void run() throws Exception {
            Session ws = client.connect(this, URI.create(wsUrl())).get(30, TimeUnit.SECONDS);
            long seq = 0;
            int batch = Math.min(options.batch(), options.window());
            while (System.nanoTime() < end && !closed.isDone()) {
                pace(batch);
                if (!window.tryAcquire(batch, 1, TimeUnit.SECONDS)) {
                    continue;
                }
                StringBuilder frame = new StringBuilder(batch * 330 + 2);
                if (batch > 1) {
                    frame.append('[');
                }
                long now = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    if (i > 0) {
                        frame.append(',');
                    }
                    sentAt[(int) (seq & mask)] = now;
                    Events.append(frame, run, conn, seq++);
                }
                if (batch > 1) {
                    frame.append(']');
                }
                String text = frame.toString();
                org.eclipse.jetty.websocket.api.Callback.Completable.with(c -> ws.sendText(text, c)).get(60, TimeUnit.SECONDS);
                sent.add(batch);
            }
            // Wait for the acks of everything sent.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (window.availablePermits() < options.window() && System.nanoTime() < deadline && !closed.isDone()) {
                Thread.sleep(20);
            }
            if (!closed.isDone()) {
                ws.close(1000, "done", org.eclipse.jetty.websocket.api.Callback.NOOP);
                // Wait for the server's close reply: stopping the client before it arrives aborts the session
                // (1006 "Session Closed"), which would be counted as a server-side close.
                try {
                    closed.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // reported by onWebSocketClose / onWebSocketError if it happens
                }
            }
        }

        @Override
        public void onWebSocketText(String message) {
            long now = System.nanoTime();
            try (JsonParser p = JSON.createParser(message)) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        readAck(p, now);
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    readAck(p, now);
                }
            } catch (IOException e) {
                errors.increment();
            }
        }

        private void readAck(JsonParser p, long now) throws IOException {
            Ack a = Ack.read(p);
            long seq = a.eventId() == null ? -1 : Events.seqOf(a.eventId());
            countAck(a, seq < 0 ? -1 : now - sentAt[(int) (seq & mask)]);
            if (a.eventId() != null) {
                window.release();
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            if (statusCode != 1000) {
                System.err.println("\nconnection " + conn + " closed by server: " + statusCode + " " + reason);
            }
            closed.complete(null);
        }

        @Override
        public void onWebSocketError(Throwable error) {
            errors.increment();
            closed.complete(null);
        }
    }

    /** A connection that only stays open. */
    public static final class IdleListener extends Session.Listener.AbstractAutoDemanding {
    }

    /** One HTTP thread: {@code POST /events/batch} (or {@code /events} with batch 1), synchronous. */
    private void httpSender(HttpClient client, int conn, long end) throws Exception {
        String base = options.url().replaceFirst("/events.*$", "");
        URI uri = URI.create(base + (options.batch() == 1 ? "/events" : "/events/batch"));
        long seq = 0;
        while (System.nanoTime() < end) {
            pace(options.batch());
            StringBuilder body = new StringBuilder(options.batch() * 330 + 2);
            if (options.batch() > 1) {
                body.append('[');
            }
            for (int i = 0; i < options.batch(); i++) {
                if (i > 0) {
                    body.append(',');
                }
                Events.append(body, run, conn, seq++);
            }
            if (options.batch() > 1) {
                body.append(']');
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (options.apiKey() != null) {
                req.header("X-API-Key", options.apiKey());
            }
            long t0 = System.nanoTime();
            HttpResponse<String> resp;
            try {
                resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                errors.increment();
                continue;
            }
            long took = System.nanoTime() - t0;
            sent.add(options.batch());
            try (JsonParser p = JSON.createParser(resp.body())) {
                JsonToken t = p.nextToken();
                if (options.batch() == 1) {
                    readHttpAck(p, took);
                } else if (t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("results".equals(f) && v == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                readHttpAck(p, took);
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
            if (resp.statusCode() == 429 || resp.statusCode() == 503) {
                Thread.sleep(100);
            }
        }
    }

    private void readHttpAck(JsonParser p, long took) throws IOException {
        countAck(Ack.read(p), took);
    }

    /** One answer object, the same shape over WebSocket and HTTP. */
    private record Ack(String eventId, String status, String topic, int partition, long offset) {
        /** Reads the object the parser is at (its START_OBJECT consumed); a missing status counts as failed. */
        static Ack read(JsonParser p) throws IOException {
            String id = null;
            String status = null;
            String topic = null;
            int partition = -1;
            long offset = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "eventId" -> id = p.getText();
                    case "status" -> status = p.getText();
                    case "topic" -> topic = p.getText();
                    case "partition" -> partition = p.getIntValue();
                    case "offset" -> offset = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            return new Ack(id, status == null ? "failed" : status, topic, partition, offset);
        }
    }
}
