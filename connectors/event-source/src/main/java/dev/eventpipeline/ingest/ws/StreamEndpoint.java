package dev.eventpipeline.ingest.ws;

import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.auth.ApiKeyAuthenticator;
import dev.eventpipeline.ingest.protocol.EventParser;
import dev.eventpipeline.ingest.protocol.EventParser.Item;
import dev.eventpipeline.ingest.protocol.EventResult;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.ingest.stats.IngestStats;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection on {@code /events/stream}. A text frame carries one event, an array of
 * events or {@code {"batch":[...]}}; each event is answered with an ack
 * {@code {"eventId","status","reason"?,"topic"?,"partition"?,"offset"?}} sent only once Connect reported
 * the record ({@code commitRecord}). The acks of one inbound frame go out together, in the frame's
 * order, once every event of the frame is resolved (like an HTTP batch); acks that become ready while
 * another ack frame is being written are coalesced. So an ack frame carries one ack object or a JSON
 * array of them; clients match acks by {@code eventId}.
 *
 * <p>Back-pressure: reading is driven by explicit demand (Jetty's {@code Session.demand()}). The next
 * frame is read only when the previous one was admitted and the connection has fewer than
 * {@code ws.max.inflight.per.connection} unacknowledged events; when the task's buffer is full, the
 * frame waits without reading further and is retried as soon as the task answers enough events to make
 * room for it (oldest waiting connection first), with a timer as a fallback. Unread bytes stay in the kernel's
 * socket buffers, so the client's send blocks: memory per connection stays bounded.
 *
 * <p>Close codes: {@value #CLOSE_UNAUTHORIZED} unauthorized (missing/invalid API key); 1003 binary frame;
 * 1009 message larger than {@code max.request.bytes}; 1001 idle or no pong; 1012 task stopping (after
 * the acks of every admitted event were sent); 1011 server error; 1002 protocol error (by Jetty).
 */
public final class StreamEndpoint implements Session.Listener {
    private static final Logger log = LoggerFactory.getLogger(StreamEndpoint.class);

    public static final int CLOSE_UNAUTHORIZED = 4401;
    public static final String SUBPROTOCOL = "events.v1";
    /** Fallback retry of a frame that found the task's buffer full (normally the sink wakes it earlier). */
    static final long RETRY_ADMISSION_MS = 50;

    /** Per-connection limits. */
    public record Settings(int maxInflight, long idleTimeoutMs, long pingIntervalMs, int maxMessageBytes) {
    }

    /** Creates endpoints for upgrade requests and remembers the open ones (to close them at stop). */
    public static final class Factory implements WebSocketCreator {
        private final EventSink sink;
        private final EventParser parser;
        private final ApiKeyAuthenticator auth;
        private final IngestStats stats;
        private final ScheduledExecutorService scheduler;
        private final Settings settings;
        private final Set<StreamEndpoint> open = ConcurrentHashMap.newKeySet();
        /** Jetty's pool: resumes reading off Connect's producer thread (see {@link #acked()}). */
        private volatile java.util.concurrent.Executor executor = Runnable::run;

        public Factory(EventSink sink, EventParser parser, ApiKeyAuthenticator auth, IngestStats stats,
                       ScheduledExecutorService scheduler, Settings settings) {
            this.sink = sink;
            this.parser = parser;
            this.auth = auth;
            this.stats = stats;
            this.scheduler = scheduler;
            this.settings = settings;
        }

        @Override
        public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response,
                                      org.eclipse.jetty.util.Callback callback) {
            List<String> offered = request.getSubProtocols();
            if (offered.contains(SUBPROTOCOL)) {
                response.setAcceptedSubProtocol(SUBPROTOCOL);
            }
            String key = ApiKeyAuthenticator.fromHeaders(request.getHeaders().get(ApiKeyAuthenticator.HEADER),
                    request.getHeaders().get("Authorization"));
            if (key == null) {
                key = ApiKeyAuthenticator.fromSubprotocols(offered);
            }
            if (key == null) {
                key = queryParam(request.getHttpURI().getQuery(), ApiKeyAuthenticator.QUERY_PARAM);
            }
            boolean authorized = auth.accepts(key);
            if (!authorized) {
                stats.unauthorized();
            }
            return new StreamEndpoint(this, authorized, key == null);
        }

        /** Closes every open connection with 1012 after its pending acks; returns how many. */
        public int closeAll(String reason) {
            int n = 0;
            for (StreamEndpoint e : open) {
                e.close(StatusCode.SERVICE_RESTART, reason);
                n++;
            }
            return n;
        }

        public int openConnections() {
            return open.size();
        }

        public IngestStats stats() {
            return stats;
        }

        /** Set by the listener to its thread pool. */
        public void executor(java.util.concurrent.Executor executor) {
            this.executor = executor;
        }
    }

    private final Factory factory;
    private final boolean authorized;
    private final boolean keyMissing;
    private final Object lock = new Object();
    private Session session;
    // guarded by lock
    private int inFlight;
    private boolean demandPending;
    private boolean paused;
    private Frame waiting; // a frame waiting for buffer room
    private long waitTicket; // identifies the current wait; a retry runs only with the current ticket
    private int bufferedAcks;
    private boolean sending;
    private int answering; // complete frames whose ack frame is being built on the pool
    private final List<String> ackBuffer = new ArrayList<>();
    private boolean closing;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile long lastPongNanos = System.nanoTime();
    private ScheduledFuture<?> ticker;

    StreamEndpoint(Factory factory, boolean authorized, boolean keyMissing) {
        this.factory = factory;
        this.authorized = authorized;
        this.keyMissing = keyMissing;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        if (!authorized) {
            session.close(CLOSE_UNAUTHORIZED, keyMissing ? "missing API key" : "invalid API key", Callback.NOOP);
            return;
        }
        factory.open.add(this);
        factory.stats.wsOpened();
        long tick = factory.settings.pingIntervalMs() > 0
                ? Math.min(factory.settings.pingIntervalMs(), factory.settings.idleTimeoutMs())
                : factory.settings.idleTimeoutMs();
        ticker = factory.scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        demand();
    }

    /** One inbound frame: its results in frame order, answered as one ack frame once all are resolved. */
    private static final class Frame {
        final EventResult[] results;
        final List<ReceivedEvent> valid;
        final int[] positions;
        final AtomicInteger remaining;

        Frame(EventResult[] results, List<ReceivedEvent> valid, int[] positions) {
            this.results = results;
            this.valid = valid;
            this.positions = positions;
            this.remaining = new AtomicInteger(valid.size());
        }
    }

    @Override
    public void onWebSocketText(String text) {
        synchronized (lock) {
            demandPending = false;
        }
        if (isClosing()) {
            demand(); // frames after our close frame are read and dropped (their events get no ack)
            return;
        }
        lastFrameNanos = System.nanoTime();
        List<Item> items;
        try {
            items = factory.parser.parseMany(text);
        } catch (EventParser.RequestRejected e) {
            factory.stats.requestRejected();
            ack(new EventResult(null, EventResult.Status.INVALID, e.getMessage(), null, null, -1, -1,
                    e.httpStatus() == 413, false).toJson(), 1);
            demand();
            return;
        }
        long receivedAt = System.currentTimeMillis();
        EventResult[] results = new EventResult[items.size()];
        List<ReceivedEvent> valid = new ArrayList<>(items.size());
        int[] positions = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item instanceof Item.Valid v) {
                positions[valid.size()] = i;
                valid.add(new ReceivedEvent(v.envelope(), v.json(), receivedAt, ReceivedEvent.WEBSOCKET));
            } else if (item instanceof Item.Rejected r) {
                factory.stats.record(r.result().status());
                results[i] = r.result();
            }
        }
        admit(new Frame(results, valid, positions));
    }

    /** Sends the frame's results (in frame order) as one ack frame. */
    private void answerFrame(Frame frame) {
        EventResult[] results = frame.results;
        if (results.length == 0) {
            return;
        }
        StringBuilder b = new StringBuilder(results.length * 110);
        synchronized (results) {
            for (int i = 0; i < results.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                results[i].appendJson(b);
            }
        }
        ack(b.toString(), results.length);
    }

    /** Tries to queue a frame's events; on success reads on (below the in-flight limit), else retries later. */
    private void admit(Frame frame) {
        List<ReceivedEvent> valid = frame.valid;
        if (valid.isEmpty()) {
            answerFrame(frame);
            demand();
            return;
        }
        // Count the frame in flight before submitting: its outcomes may arrive before submit() returns.
        synchronized (lock) {
            inFlight += valid.size();
        }
        Admission admission = factory.sink.submit(valid, (index, outcome) -> {
            EventResult result = EventResult.of(valid.get(index).envelope().eventId(), outcome);
            factory.stats.record(result.status());
            synchronized (frame.results) {
                frame.results[frame.positions[index]] = result;
            }
            if (frame.remaining.decrementAndGet() == 0) {
                // Outcomes arrive on Kafka's producer I/O thread: build and write the ack frame elsewhere.
                synchronized (lock) {
                    answering++;
                }
                factory.executor.execute(() -> {
                    try {
                        answerFrame(frame);
                    } finally {
                        synchronized (lock) {
                            answering--;
                            lock.notifyAll();
                        }
                    }
                });
            }
            acked();
        });
        switch (admission) {
            case QUEUED -> {
                boolean read;
                synchronized (lock) {
                    waiting = null;
                    read = inFlight < factory.settings.maxInflight();
                    paused = !read;
                }
                if (read) {
                    demand();
                }
            }
            case QUEUE_FULL -> {
                long ticket;
                synchronized (lock) {
                    inFlight -= valid.size();
                    waiting = frame;
                    paused = true;
                    ticket = ++waitTicket;
                }
                // Retried as soon as the task frees room for the frame, or by the timer should that signal be lost;
                // whichever comes first claims the ticket, the other finds it stale.
                Runnable retry = () -> factory.executor.execute(() -> retryWaiting(ticket));
                factory.sink.whenRoomFor(valid.size(), retry);
                factory.scheduler.schedule(retry, RETRY_ADMISSION_MS, TimeUnit.MILLISECONDS);
            }
            case STOPPING -> {
                synchronized (lock) {
                    inFlight -= valid.size();
                    waiting = null;
                }
                for (int i = 0; i < valid.size(); i++) {
                    EventResult r = EventResult.failed(valid.get(i).envelope().eventId(), EventResult.REASON_STOPPING);
                    factory.stats.record(r.status());
                    frame.results[frame.positions[i]] = r;
                }
                answerFrame(frame);
                close(StatusCode.SERVICE_RESTART, "connector stopping; reconnect and retry");
            }
        }
    }

    /**
     * Retries the waiting frame. {@code waiting} stays set until {@link #admit} resolves it: while it is set,
     * {@link #acked()} must not resume reading, or the next frame would be read (and, if it too found the
     * buffer full, would replace this one, whose events would then never be answered).
     */
    private void retryWaiting(long ticket) {
        Frame frame;
        synchronized (lock) {
            frame = waiting;
            if (frame == null || closing || ticket != waitTicket) {
                return;
            }
            waitTicket++; // claimed: the other retry path of this ticket does nothing
        }
        if (session != null && session.isOpen()) {
            admit(frame);
        }
    }

    /**
     * One event of this connection was answered: read on if we paused for the in-flight limit. This runs
     * on Connect's producer callback thread; {@code demand()} may read and dispatch the next frame on the
     * calling thread, which would stall the producer, so reading resumes on Jetty's pool instead.
     */
    private void acked() {
        boolean resume = false;
        synchronized (lock) {
            inFlight--;
            if (paused && waiting == null && inFlight < factory.settings.maxInflight()) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            factory.executor.execute(this::demand);
        }
    }

    private boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    private void demand() {
        Session s = session;
        synchronized (lock) {
            if (demandPending || s == null) {
                return;
            }
            demandPending = true;
        }
        try {
            s.demand();
        } catch (RuntimeException e) {
            log.debug("demand on a closed session: {}", e.toString());
        }
    }

    /**
     * Sends {@code count} acks (comma-separated ack objects) now, as one object or an array, or buffers
     * them while another frame is being written; buffered acks go out together as one array.
     */
    private void ack(String objects, int count) {
        synchronized (lock) {
            if (sending) {
                ackBuffer.add(objects);
                bufferedAcks += count;
                return;
            }
            sending = true;
        }
        write(count == 1 ? objects : "[" + objects + "]");
    }

    private void write(String frame) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            synchronized (lock) {
                sending = false;
                ackBuffer.clear();
                bufferedAcks = 0;
            }
            return;
        }
        s.sendText(frame, Callback.from(this::written, failure -> {
            log.debug("Ack frame not delivered: {}", failure.toString());
            synchronized (lock) {
                sending = false;
                ackBuffer.clear();
                bufferedAcks = 0;
                lock.notifyAll();
            }
        }));
    }

    private void written() {
        String next;
        synchronized (lock) {
            if (ackBuffer.isEmpty()) {
                sending = false;
                lock.notifyAll();
                return;
            }
            if (bufferedAcks == 1) {
                next = ackBuffer.get(0);
            } else {
                StringBuilder b = new StringBuilder(bufferedAcks * 110).append('[');
                for (int i = 0; i < ackBuffer.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(ackBuffer.get(i));
                }
                next = b.append(']').toString();
            }
            ackBuffer.clear();
            bufferedAcks = 0;
        }
        write(next);
    }

    /** Keep-alive ping, idle timeout and dead-peer check. */
    private void tick() {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        boolean idle;
        boolean reading;
        synchronized (lock) {
            idle = inFlight == 0 && waiting == null
                    && now - lastFrameNanos > TimeUnit.MILLISECONDS.toNanos(factory.settings.idleTimeoutMs());
            reading = !paused;
        }
        if (idle) {
            close(StatusCode.SHUTDOWN, "idle for " + factory.settings.idleTimeoutMs() + " ms");
            return;
        }
        long ping = factory.settings.pingIntervalMs();
        if (ping > 0) {
            if (reading && now - lastPongNanos > TimeUnit.MILLISECONDS.toNanos(3 * ping)) {
                close(StatusCode.SHUTDOWN, "no pong for " + (3 * ping) + " ms");
                return;
            }
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        synchronized (lock) {
            demandPending = false;
        }
        session.sendPong(payload, Callback.NOOP);
        resumeIfReading();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        synchronized (lock) {
            demandPending = false;
        }
        lastPongNanos = System.nanoTime();
        resumeIfReading();
    }

    private void resumeIfReading() {
        boolean read;
        synchronized (lock) {
            read = !paused || closing;
        }
        if (read) {
            demand();
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        synchronized (lock) {
            demandPending = false;
        }
        close(StatusCode.BAD_DATA, "binary frames are not accepted; send JSON text frames");
    }

    /** Closes after the acks already queued for this connection are written. */
    void close(int code, String reason) {
        Session s = session;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            long deadline = System.currentTimeMillis() + 2_000;
            while ((sending || answering > 0 || !ackBuffer.isEmpty()) && System.currentTimeMillis() < deadline) {
                try {
                    lock.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
            // Keep reading (and discarding) so the client's close reply is seen even if we had paused.
            demand();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (factory.open.remove(this)) {
            factory.stats.wsClosed();
        }
        synchronized (lock) {
            closing = true;
            waiting = null;
        }
        log.debug("WebSocket closed {} {}", statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("WebSocket error: {}", cause.toString());
    }

    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** For tests. */
    static Map<String, Object> debugState(StreamEndpoint e) {
        synchronized (e.lock) {
            return Map.of("inFlight", e.inFlight, "paused", e.paused);
        }
    }
}
