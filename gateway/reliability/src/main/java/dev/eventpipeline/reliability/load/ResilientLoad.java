package dev.eventpipeline.reliability.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load that behaves like a well-written client while faults hit the pipeline: WebSocket connections
 * and HTTP batch threads at a target rate, every event with a unique id; an event answered
 * {@code failed}, or left unanswered by a dropped connection or a refused request, is sent again with
 * the <em>same</em> id (after 200 ms) until it gets a final answer; dropped WebSocket connections are
 * reopened. (The benchmark's {@code LoadGen} stops a connection the server closes and keeps only id
 * hashes, which is right for measuring ingestion, not for surviving a worker kill.)
 *
 * <p>Counts and accepted ids go to an {@link AckBook}; {@link #stopSending()} ends the sending phase,
 * {@link #awaitDrained(Duration)} waits for the answers (and retries) of what was sent.
 */
public final class ResilientLoad implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_BACKOFF_MS = 200;

    /**
     * @param wsConnections WebSocket connections ({@code /events/stream})
     * @param httpThreads   threads posting {@code /events/batch}
     * @param rate          events/s over all senders (0: as fast as answers allow)
     * @param batch         events per frame / request
     * @param window        most unanswered events per sender
     */
    public record Options(String wsUrl, String httpUrl, int wsConnections, int httpThreads, long rate, int batch, int window) {
    }

    /** One event on its way: id, sequence number (for sampling), scheduled send time (nanos and wall millis). */
    record Pending(String id, long seq, long sentNanos, long sentWall) {
    }

    private final Options options;
    private final AckBook book;
    private final String run;
    private final long nanosPerEvent;
    private final AtomicLong nextSend = new AtomicLong(System.nanoTime());
    private final List<Thread> senders = new ArrayList<>();
    private final List<Sender> state = new ArrayList<>();
    private final WebSocketClient ws = new WebSocketClient();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(4, daemon())).build();
    private volatile boolean sending = true;
    private volatile boolean stopped;

    public ResilientLoad(Options options, AckBook book, String run) {
        this.options = options;
        this.book = book;
        this.run = run;
        this.nanosPerEvent = options.rate() > 0 ? 1_000_000_000L / options.rate() : 0;
    }

    public String run() {
        return run;
    }

    public AckBook book() {
        return book;
    }

    public ResilientLoad start() throws Exception {
        ws.setMaxTextMessageSize(16L << 20);
        ws.setIdleTimeout(Duration.ofMinutes(10));
        ws.setConnectTimeout(2_000);
        ws.start();
        for (int i = 0; i < options.wsConnections(); i++) {
            add(new WsSender("w" + i));
        }
        for (int i = 0; i < options.httpThreads(); i++) {
            add(new HttpSender("h" + i));
        }
        return this;
    }

    private void add(Sender s) {
        state.add(s);
        Thread t = new Thread(s, "load-" + s.name);
        t.setDaemon(true);
        senders.add(t);
        t.start();
    }

    /** No new events from now on; retries of unanswered ones go on. */
    public void stopSending() {
        sending = false;
    }

    /** Waits until every sent event has a final answer, or the timeout; returns the events still unresolved. */
    public long awaitDrained(Duration timeout) throws InterruptedException {
        stopSending();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && (unresolved() > 0 || !state.stream().allMatch(x -> x.quiesced))) {
            Thread.sleep(50);
        }
        return unresolved();
    }

    public long unresolved() {
        long n = 0;
        for (Sender s : state) {
            n += s.unresolved();
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        if (stopped) {
            return;
        }
        stopped = true;
        sending = false;
        for (Thread t : senders) {
            t.join(10_000);
        }
        ws.stop();
    }

    /**
     * Blocks until {@code events} new events are due under the target rate; returns their scheduled
     * time (System.nanoTime), which may lie in the past when the clients are behind schedule.
     */
    private long paceBlocking(int events) throws InterruptedException {
        if (nanosPerEvent == 0) {
            return System.nanoTime();
        }
        long at = nextSend.getAndAdd(events * nanosPerEvent);
        long wait = at - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return at;
    }

    /** Claims {@code events} new events only if the schedule has reached them (never blocks): their scheduled time, or -1. */
    private long paceIfDue(int events) {
        if (nanosPerEvent == 0) {
            return -1;
        }
        long at = nextSend.get();
        return at <= System.nanoTime() && nextSend.compareAndSet(at, at + events * nanosPerEvent) ? at : -1;
    }

    private static long wallOf(long nanos) {
        return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000L;
    }

    private abstract class Sender implements Runnable {
        final String name;
        final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
        final Deque<Pending> retry = new ConcurrentLinkedDeque<>();
        /** Set once this sender has seen that sending stopped: it produces no new events any more. */
        volatile boolean quiesced;
        /** Events produced while the connection was down, not yet sent. */
        final Deque<Pending> buffered = new ConcurrentLinkedDeque<>();
        long seq;

        Sender(String name) {
            this.name = name;
        }

        long unresolved() {
            return inFlight.size() + retry.size() + buffered.size();
        }

        /** While disconnected: the events the schedule says are due are produced and kept for sending. */
        void bufferDue() {
            long now;
            while (sending && (now = paceIfDue(options.batch())) >= 0) {
                long wall = wallOf(now);
                for (int i = 0; i < options.batch(); i++) {
                    long s = seq++;
                    buffered.add(new Pending(CartEvents.id(run, name, s), s, now, wall));
                }
                book.sent.add(options.batch());
            }
        }

        /**
         * Next events to send: retries first, then new events when the target rate allows. Clients keep
         * producing events during an outage, so new events are paced by the clock, not by the answers:
         * at max rate ({@code rate 0}) a new batch goes out only when there is nothing to retry.
         */
        List<Pending> nextBatch() throws InterruptedException {
            List<Pending> batch = new ArrayList<>(options.batch());
            Pending p;
            // Retries keep their first scheduled time: latencies count from when the event was due.
            while (batch.size() < options.batch() && (p = retry.poll()) != null) {
                batch.add(p);
                book.retried.increment();
            }
            while (batch.size() < options.batch() && (p = buffered.poll()) != null) {
                batch.add(p);
            }
            long now = !sending ? -1 : batch.isEmpty() ? paceBlocking(options.batch()) : paceIfDue(options.batch());
            // Sending may have stopped while this thread waited for the schedule: then no new events.
            if (now >= 0 && sending) {
                // Latency counts from the scheduled time: a client held back by a full window shows the wait.
                long wall = wallOf(now);
                for (int i = 0; i < options.batch(); i++) {
                    long s = seq++;
                    batch.add(new Pending(CartEvents.id(run, name, s), s, now, wall));
                }
                book.sent.add(options.batch());
            }
            if (batch.isEmpty() && !sending) {
                quiesced = true;
            }
            return batch;
        }

        String body(List<Pending> batch) {
            StringBuilder b = new StringBuilder(batch.size() * 360 + 2).append('[');
            for (int i = 0; i < batch.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                CartEvents.append(b, batch.get(i).id(), batch.get(i).seq());
            }
            return b.append(']').toString();
        }

        /** A final or failed answer for an event in flight. */
        void answered(JsonNode ack, long now) {
            String id = ack.path("eventId").asText(null);
            String status = ack.path("status").asText("failed");
            Pending p = id == null ? null : inFlight.remove(id);
            if (p == null) {
                return;
            }
            book.answer(id, p.seq(), status, p.sentWall(), now - p.sentNanos());
            if (status.equals("failed")) {
                retry.add(p);
            }
        }

        void unreadableAnswer() {
            book.transportErrors.increment();
        }

        void requeue(Collection<Pending> events) {
            for (Pending p : events) {
                if (inFlight.remove(p.id()) != null) {
                    retry.add(p);
                }
            }
        }

        boolean done() {
            boolean done = stopped || (!sending && unresolved() == 0);
            if (done) {
                quiesced = true;
            }
            return done;
        }

        static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One WebSocket connection, reopened whenever it drops; what was in flight on it is sent again. */
    private final class WsSender extends Sender {
        WsSender(String name) {
            super(name);
        }

        @Override
        public void run() {
            Connection conn = null;
            while (!done() && !Thread.currentThread().isInterrupted()) {
                try {
                    if (conn == null || conn.closed) {
                        if (conn != null) {
                            requeue(List.copyOf(inFlight.values()));
                        }
                        conn = connect();
                        if (conn == null) {
                            bufferDue();
                            continue;
                        }
                    }
                    if (inFlight.size() + options.batch() > options.window()) {
                        Thread.sleep(1);
                        continue;
                    }
                    List<Pending> batch = nextBatch();
                    if (batch.isEmpty()) {
                        Thread.sleep(5);
                        continue;
                    }
                    for (Pending p : batch) {
                        inFlight.put(p.id(), p);
                    }
                    Session session = conn.session;
                    String text = body(batch);
                    try {
                        Callback.Completable.with(c -> session.sendText(text, c)).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        book.transportErrors.increment();
                        conn.closed = true;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (conn != null && conn.session != null && !conn.closed) {
                conn.session.close(1000, "done", Callback.NOOP);
            }
        }

        private Connection connect() throws InterruptedException {
            Connection c = new Connection(this);
            try {
                c.session = ws.connect(c, URI.create(options.wsUrl())).get(5, TimeUnit.SECONDS);
                return c;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
                book.transportErrors.increment();
                Thread.sleep(RETRY_BACKOFF_MS);
                return null;
            }
        }
    }

    /** Jetty looks listener methods up through a public lookup: the class must be public. */
    public static final class Connection implements Session.Listener.AutoDemanding {
        private final Sender sender;
        volatile Session session;
        volatile boolean closed;

        Connection(Sender sender) {
            this.sender = sender;
        }

        @Override
        public void onWebSocketText(String message) {
            long now = System.nanoTime();
            try {
                JsonNode node = JSON.readTree(message);
                if (node.isArray()) {
                    node.forEach(a -> sender.answered(a, now));
                } else {
                    sender.answered(node, now);
                }
            } catch (IOException e) {
                sender.unreadableAnswer();
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed = true;
        }

        @Override
        public void onWebSocketError(Throwable error) {
            closed = true;
        }
    }

    /** One thread posting {@code /events/batch} synchronously; refused or failed events are posted again. */
    private final class HttpSender extends Sender {
        private final URI uri;

        HttpSender(String name) {
            super(name);
            this.uri = URI.create(options.httpUrl().replaceFirst("/+$", "") + "/events/batch");
        }

        @Override
        public void run() {
            while (!done() && !Thread.currentThread().isInterrupted()) {
                try {
                    List<Pending> batch = nextBatch();
                    if (batch.isEmpty()) {
                        Thread.sleep(5);
                        continue;
                    }
                    for (Pending p : batch) {
                        inFlight.put(p.id(), p);
                    }
                    post(batch);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void post(List<Pending> batch) throws InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(batch))).build();
            try {
                HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                JsonNode results = JSON.readTree(resp.body()).path("results");
                if (results.isArray()) {
                    results.forEach(a -> answered(a, now));
                }
            } catch (IOException e) {
                book.transportErrors.increment();
            }
            // Whatever got no answer (refused, 429/503 without results, dropped) goes again.
            List<Pending> left = new ArrayList<>();
            for (Pending p : batch) {
                if (inFlight.containsKey(p.id())) {
                    left.add(p);
                }
            }
            if (!left.isEmpty() || !retry.isEmpty()) {
                requeue(left);
                Thread.sleep(RETRY_BACKOFF_MS);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "load-http");
            t.setDaemon(true);
            return t;
        };
    }
}
