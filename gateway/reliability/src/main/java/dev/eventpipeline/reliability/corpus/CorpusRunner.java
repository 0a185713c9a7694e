package dev.eventpipeline.reliability.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.embedded.ProcessStats;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a slice of the bad-input corpus to the event-source listener (and the API-key-protected one),
 * with slow-loris clients held open the whole time, and checks every answer against the documented
 * one. Samples the listener process' RSS throughout.
 */
public final class CorpusRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where to send. {@code listenerPid} is the Connect worker running the ingestion task. */
    public record Target(String host, int port, int authPort, long listenerPid) {
    }

    /** Per category: requests sent and answered as documented; up to 3 examples of what went wrong. */
    public static final class CategoryResult {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger asDocumented = new AtomicInteger();
        final java.util.List<String> mismatches = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        public int sent() {
            return sent.get();
        }

        public int asDocumented() {
            return asDocumented.get();
        }

        public java.util.List<String> mismatches() {
            return mismatches;
        }
    }

    /** What a corpus run found. */
    public record Report(int requests, int asDocumented, Map<String, CategoryResult> categories, long rssBeforeKib,
                         long rssPeakKib, long rssAfterKib, int slowConnections, int slowClosedByServer, double seconds,
                         boolean listenerAlive) {
        public boolean ok() {
            return requests == asDocumented && listenerAlive;
        }

        public String table() {
            StringBuilder b = new StringBuilder("| category | requests | answered as documented | example of a wrong answer |\n"
                    + "| --- | --- | --- | --- |\n");
            categories.forEach((name, c) -> b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s |%n", name, c.sent(),
                    c.asDocumented(), c.mismatches().isEmpty() ? "" : c.mismatches().get(0).replace("|", "\\|").replace("\n", " "))));
            b.append(String.format(Locale.ROOT, "| **total** | **%,d** | **%,d** | |%n", requests, asDocumented));
            return b.toString();
        }

        public String summary() {
            return String.format(Locale.ROOT, "%,d requests in %.1f s, %,d answered as documented; listener RSS %,d → peak %,d → %,d MiB; "
                            + "%d slow-loris connections (%d closed by the server); listener process alive: %s",
                    requests, seconds, asDocumented, rssBeforeKib / 1024, rssPeakKib / 1024, rssAfterKib / 1024, slowConnections,
                    slowClosedByServer, listenerAlive);
        }
    }

    private final CorpusGenerator generator = new CorpusGenerator();
    private final Target target;

    public CorpusRunner(Target target) {
        this.target = target;
    }

    /**
     * Sends requests {@code [0, count)} of the corpus with this seed, {@code concurrency} at a time,
     * while {@code slowHttp} + {@code slowWs} slow-loris connections trickle.
     */
    public Report run(int count, long seed, int concurrency, int slowHttp, int slowWs) throws Exception {
        Map<String, CategoryResult> categories = new TreeMap<>();
        long rssBefore = ProcessStats.rssKib(target.listenerPid());
        AtomicLong rssPeak = new AtomicLong(rssBefore);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rssPeak.accumulateAndGet(ProcessStats.rssKib(target.listenerPid()), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        WebSocketClient ws = new WebSocketClient();
        ws.setMaxTextMessageSize(1 << 20);
        ws.start();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        int slowConnections;
        int slowClosed;
        try (SlowLoris slow = new SlowLoris(target.host(), target.port(), slowHttp, slowWs, 500)) {
            for (int i = 0; i < count; i++) {
                int index = i;
                pool.submit(() -> {
                    BadRequest req = generator.get(seed, index);
                    CategoryResult c;
                    synchronized (categories) {
                        c = categories.computeIfAbsent(req.category(), k -> new CategoryResult());
                    }
                    c.sent.incrementAndGet();
                    String problem;
                    try {
                        problem = req.transport() == BadRequest.Transport.HTTP ? checkHttp(req) : checkWs(ws, req);
                    } catch (Exception e) {
                        problem = "request " + index + ": " + e;
                    }
                    if (problem == null) {
                        c.asDocumented.incrementAndGet();
                    } else if (c.mismatches.size() < 3) {
                        c.mismatches.add("#" + index + " " + problem);
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the corpus did not finish within 30 minutes");
            }
            slowConnections = slow.connections();
            slowClosed = slow.closedByServer();
        } finally {
            pool.shutdownNow();
            ws.stop();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        long rssAfter = ProcessStats.rssKib(target.listenerPid());
        int documented = categories.values().stream().mapToInt(CategoryResult::asDocumented).sum();
        return new Report(count, documented, categories, rssBefore, rssPeak.get(), rssAfter, slowConnections, slowClosed,
                seconds, rssAfter > 0);
    }

    /** Null when the answer is the documented one, else what was wrong. */
    private String checkHttp(BadRequest req) throws Exception {
        int port = req.authListener() ? target.authPort() : target.port();
        RawHttp.Response resp = RawHttp.send(target.host(), port, req.method(), req.path(), req.headers(), req.body());
        if (resp.status() != req.expected()) {
            return "expected HTTP " + req.expected() + ", got " + abbreviate(resp.text());
        }
        if (req.reason() != null && !resp.text().toLowerCase(Locale.ROOT).contains(req.reason().toLowerCase(Locale.ROOT))) {
            return "HTTP " + resp.status() + " without '" + req.reason() + "': " + abbreviate(resp.text());
        }
        return null;
    }

    private String checkWs(WebSocketClient client, BadRequest req) throws Exception {
        int port = req.authListener() ? target.authPort() : target.port();
        Listener listener = new Listener();
        Session session = client.connect(listener, URI.create("ws://" + target.host() + ":" + port + req.path()))
                .get(10, TimeUnit.SECONDS);
        try {
            if (req.expected() == 4401) {
                Integer code = listener.closed.get(10, TimeUnit.SECONDS);
                return code == 4401 ? null : "expected close 4401, got " + code;
            }
            String sendFailure = null;
            try {
                if (req.binaryFrame()) {
                    Callback.Completable.with(c -> session.sendBinary(ByteBuffer.wrap(req.body()), c)).get(30, TimeUnit.SECONDS);
                } else {
                    String text = new String(req.body(), StandardCharsets.UTF_8);
                    Callback.Completable.with(c -> session.sendText(text, c)).get(30, TimeUnit.SECONDS);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // The server may close (1009) as soon as it reads an oversized frame's header, while this
                // client is still writing the frame: the write then fails, the close code still arrives.
                sendFailure = e.getCause().toString();
            }
            if (req.expected() != 0) {
                Integer code = listener.closed.get(10, TimeUnit.SECONDS);
                return code == req.expected() ? null : "expected close " + req.expected() + ", got " + code
                        + (sendFailure == null ? "" : " (send failed: " + sendFailure + ")");
            }
            if (sendFailure != null) {
                return "send failed: " + sendFailure;
            }
            String message = listener.messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                return "no ack within 10 s" + (listener.closed.isDone() ? " (closed " + listener.closed.getNow(null) + ")" : "");
            }
            JsonNode ack = JSON.readTree(message);
            JsonNode first = ack.isArray() ? ack.path(0) : ack;
            if (!first.path("status").asText().equals("invalid")) {
                return "expected an invalid ack, got " + abbreviate(message);
            }
            if (req.reason() != null && !first.path("reason").asText().toLowerCase(Locale.ROOT).contains(req.reason().toLowerCase(Locale.ROOT))) {
                return "ack without '" + req.reason() + "': " + abbreviate(message);
            }
            if (listener.closed.isDone()) {
                return "connection closed after an invalid frame: " + listener.closed.getNow(null);
            }
            return null;
        } finally {
            if (session.isOpen()) {
                session.close(1000, "done", Callback.NOOP);
            }
        }
    }

    private static String abbreviate(String s) {
        String one = s.replace("\r\n", " ").replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }

    /** Public: Jetty looks listener methods up through a public lookup. */
    public static final class Listener implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode);
        }

        @Override
        public void onWebSocketError(Throwable error) {
            closed.complete(-1);
        }
    }
}
