package dev.eventpipeline.ingest.http;

import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.auth.ApiKeyAuthenticator;
import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.ingest.protocol.EventParser;
import dev.eventpipeline.ingest.protocol.EventParser.Item;
import dev.eventpipeline.ingest.protocol.EventResult;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.ingest.stats.IngestStats;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The HTTP side of the listener:
 * <ul>
 *   <li>{@code POST /events}: one event; answered with one result object;</li>
 *   <li>{@code POST /events/batch}: an array or {@code {"batch":[...]}}; answered once every event is
 *       resolved with {@code {"results":[...], "accepted":n, ...}} (200 all accepted/duplicate, 207 mixed,
 *       400/413 all invalid, 429/503 all failed);</li>
 *   <li>{@code GET /events/stats}: the task's counters;</li>
 *   <li>{@code GET /events/metrics}: the same as Prometheus metrics (Micrometer), with the ack latency histogram.</li>
 * </ul>
 * Checks in order: path (404), method (405), API key (401), body size as sent and after gzip
 * ({@code max.request.bytes}, 413), UTF-8 and JSON (400), then per event: size (413), nesting, envelope
 * (400 with pointer). Results are written only from the outcome callbacks, i.e. after Kafka answered.
 */
public final class EventsHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(EventsHandler.class);

    public static final String PATH = "/events";
    public static final String BATCH_PATH = "/events/batch";
    public static final String STATS_PATH = "/events/stats";
    public static final String METRICS_PATH = "/events/metrics";
    public static final String STREAM_PATH = "/events/stream";
    public static final String APPLICATION_JSON = "application/json";
    public static final int MULTI_STATUS_207 = 207;
    public static final String RETRY_AFTER_SECONDS = "1";

    private final EventSink sink;
    private final EventParser parser;
    private final ApiKeyAuthenticator auth;
    private final IngestStats stats;
    private final String task;
    private final int maxRequestBytes;
    private final LongSupplier clock;
    private volatile java.util.function.Supplier<String> metrics = () -> "";

    public EventsHandler(EventSink sink, EventParser parser, ApiKeyAuthenticator auth, IngestStats stats, String task,
                         int maxRequestBytes, int maxEventBytes, LongSupplier clock) {
        this.sink = sink;
        this.parser = parser;
        this.auth = auth;
        this.stats = stats;
        this.task = task;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
    }

    /** The body of {@code GET /events/metrics}: Prometheus exposition of the task's meters. */
    public void metrics(java.util.function.Supplier<String> scrape) {
        this.metrics = scrape;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            route(request, response, callback);
        } catch (RuntimeException e) {
            log.error("Unexpected error handling {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
            if (!response.isCommitted()) {
                sendRequestError(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, EventResult.Status.FAILED,
                        "internal error; retry", true);
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        switch (path) {
            case PATH, BATCH_PATH -> {
                if (allowed(request, response, callback, "POST")) {
                    handleEvents(request, response, callback, BATCH_PATH.equals(path));
                }
            }
            case STATS_PATH -> {
                if (allowed(request, response, callback, "GET")) {
                    send(response, callback, HttpStatus.OK_200, stats.toJson(task), false);
                }
            }
            case METRICS_PATH -> {
                if (allowed(request, response, callback, "GET")) {
                    response.setStatus(HttpStatus.OK_200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    org.eclipse.jetty.io.Content.Sink.write(response, true, metrics.get(), callback);
                }
            }
            case STREAM_PATH -> sendRequestError(response, callback, HttpStatus.UPGRADE_REQUIRED_426, EventResult.Status.INVALID,
                    STREAM_PATH + " is a WebSocket endpoint: send an upgrade request (ws:// or wss://)", false);
            default -> sendRequestError(response, callback, HttpStatus.NOT_FOUND_404, EventResult.Status.INVALID,
                    "no such endpoint: " + path + " (events are POSTed to " + PATH + " or " + BATCH_PATH
                            + ", or streamed over WebSocket " + STREAM_PATH + ")", false);
        }
    }

    /** The request uses {@code method} and carries a valid API key (when keys are set); else it was answered 405/401. */
    private boolean allowed(Request request, Response response, Callback callback, String method) {
        if (!method.equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, method);
            sendRequestError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, EventResult.Status.INVALID,
                    "method " + request.getMethod() + " not allowed on " + Request.getPathInContext(request) + "; use " + method,
                    false);
            return false;
        }
        return authorized(request, response, callback);
    }

    private boolean authorized(Request request, Response response, Callback callback) {
        if (!auth.enabled()) {
            return true;
        }
        String key = ApiKeyAuthenticator.fromHeaders(request.getHeaders().get(ApiKeyAuthenticator.HEADER),
                request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (auth.accepts(key)) {
            return true;
        }
        stats.unauthorized();
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "ApiKey realm=\"events\"");
        sendRequestError(response, callback, HttpStatus.UNAUTHORIZED_401, EventResult.Status.INVALID,
                key == null ? "missing API key: send header " + ApiKeyAuthenticator.HEADER + " or Authorization: Bearer <key>"
                        : "invalid API key", false);
        return false;
    }

    private void handleEvents(Request request, Response response, Callback callback, boolean batch) {
        long receivedAt = clock.getAsLong();
        String text;
        try {
            text = decode(readBody(request));
        } catch (RequestError e) {
            stats.requestRejected();
            sendRequestError(response, callback, e.status, EventResult.Status.INVALID, e.getMessage(), false);
            return;
        }

        List<Item> items;
        try {
            items = batch ? parser.parseMany(text) : List.of(parser.parseSingle(text));
        } catch (EventParser.RequestRejected e) {
            stats.requestRejected();
            sendRequestError(response, callback, e.httpStatus(), EventResult.Status.INVALID, e.getMessage(), false);
            return;
        }

        EventResult[] results = new EventResult[items.size()];
        List<ReceivedEvent> valid = new ArrayList<>(items.size());
        List<Integer> positions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item instanceof Item.Valid v) {
                valid.add(new ReceivedEvent(v.envelope(), v.json(), receivedAt, ReceivedEvent.HTTP));
                positions.add(i);
            } else if (item instanceof Item.Rejected r) {
                results[i] = r.result();
                stats.record(r.result().status());
            }
        }
        if (valid.isEmpty()) {
            respond(response, callback, results, batch);
            return;
        }
        AtomicInteger remaining = new AtomicInteger(valid.size());
        Admission admission = sink.submit(valid, (index, outcome) -> {
            int at = positions.get(index);
            EventResult result = EventResult.of(valid.get(index).envelope().eventId(), outcome);
            stats.record(result.status());
            synchronized (results) {
                results[at] = result;
            }
            if (remaining.decrementAndGet() == 0) {
                synchronized (results) {
                    respond(response, callback, results, batch);
                }
            }
        });
        if (admission != Admission.QUEUED) {
            for (int k = 0; k < valid.size(); k++) {
                String id = valid.get(k).envelope().eventId();
                EventResult r = admission == Admission.QUEUE_FULL ? EventResult.queueFull(id)
                        : EventResult.failed(id, EventResult.REASON_STOPPING);
                results[positions.get(k)] = r;
                stats.record(r.status());
            }
            respond(response, callback, results, batch);
        }
    }

    /** Writes the answer once every event of the request has its result. */
    static void respond(Response response, Callback callback, EventResult[] results, boolean batch) {
        int status = statusFor(results);
        boolean retryAfter = status == HttpStatus.TOO_MANY_REQUESTS_429 || status == HttpStatus.SERVICE_UNAVAILABLE_503;
        if (!batch) {
            send(response, callback, status, results[0].toJson(), retryAfter);
            return;
        }
        int[] counts = new int[EventResult.Status.values().length];
        StringBuilder body = new StringBuilder(64 + results.length * 110).append("{\"results\":[");
        for (int i = 0; i < results.length; i++) {
            if (i > 0) {
                body.append(',');
            }
            results[i].appendJson(body);
            counts[results[i].status().ordinal()]++;
        }
        body.append(']');
        for (EventResult.Status s : EventResult.Status.values()) {
            body.append(",\"").append(s.wire()).append("\":").append(counts[s.ordinal()]);
        }
        body.append('}');
        send(response, callback, status, body.toString(), retryAfter);
    }

    /**
     * 200 when every event is accepted or duplicate (or the batch is empty); 400 (413 when every one was
     * too large) when all are invalid; 429 when all failed and some for a full buffer, 503 when all failed
     * otherwise; 207 when the results are mixed.
     */
    public static int statusFor(EventResult[] results) {
        int ok = 0;
        int invalid = 0;
        int tooLarge = 0;
        int failed = 0;
        int retryable = 0;
        for (EventResult r : results) {
            switch (r.status()) {
                case ACCEPTED, DUPLICATE -> ok++;
                case INVALID -> {
                    invalid++;
                    if (r.tooLarge()) {
                        tooLarge++;
                    }
                }
                case FAILED -> {
                    failed++;
                    if (r.retryable()) {
                        retryable++;
                    }
                }
            }
        }
        int n = results.length;
        if (ok == n) {
            return HttpStatus.OK_200;
        }
        if (invalid == n) {
            return tooLarge == n ? HttpStatus.PAYLOAD_TOO_LARGE_413 : HttpStatus.BAD_REQUEST_400;
        }
        if (failed == n) {
            return retryable > 0 ? HttpStatus.TOO_MANY_REQUESTS_429 : HttpStatus.SERVICE_UNAVAILABLE_503;
        }
        return MULTI_STATUS_207;
    }

    private byte[] readBody(Request request) throws RequestError {
        long declared = request.getLength();
        if (declared > maxRequestBytes) {
            throw new RequestError(HttpStatus.PAYLOAD_TOO_LARGE_413, "request body is " + declared + " bytes; "
                    + EventSourceConfig.MAX_REQUEST_BYTES + " is " + maxRequestBytes);
        }
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        boolean gzip = false;
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            String normalized = encoding.trim().toLowerCase(Locale.ROOT);
            if (!normalized.equals("gzip") && !normalized.equals("x-gzip")) {
                throw new RequestError(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        "Content-Encoding " + encoding + " is not supported; send identity or gzip");
            }
            gzip = true;
        }
        try {
            byte[] raw;
            try (InputStream in = Content.Source.asInputStream(request)) {
                raw = readCapped(in, maxRequestBytes, "request body");
            }
            if (!gzip) {
                return raw;
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return readCapped(in, maxRequestBytes, "decompressed request body");
            } catch (ZipException e) {
                throw new RequestError(HttpStatus.BAD_REQUEST_400, "malformed gzip body: " + e.getMessage());
            }
        } catch (IOException e) {
            throw new RequestError(HttpStatus.BAD_REQUEST_400, "could not read request body: " + e.getMessage());
        }
    }

    private static String decode(byte[] body) throws RequestError {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RequestError(HttpStatus.BAD_REQUEST_400, "malformed JSON: body is not valid UTF-8");
        }
    }

    private static byte[] readCapped(InputStream in, int cap, String what) throws IOException, RequestError {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(cap, 8192));
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > cap) {
                throw new RequestError(HttpStatus.PAYLOAD_TOO_LARGE_413,
                        what + " exceeds " + EventSourceConfig.MAX_REQUEST_BYTES + " (" + cap + " bytes)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void sendRequestError(Response response, Callback callback, int status, EventResult.Status kind,
                                         String reason, boolean retryAfter) {
        send(response, callback, status, new EventResult(null, kind, reason, null, null, -1, -1, false, false).toJson(),
                retryAfter);
    }

    static void send(Response response, Callback callback, int status, String body, boolean retryAfter) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, APPLICATION_JSON);
        if (retryAfter) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        Content.Sink.write(response, true, body, callback);
    }

    private static final class RequestError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        RequestError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
