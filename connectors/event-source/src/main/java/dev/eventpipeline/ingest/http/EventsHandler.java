package dev.eventpipeline.ingest.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventEnvelope;
import dev.eventpipeline.contract.InvalidEnvelopeException;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.ingest.record.ReceivedEvent;
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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code POST /events}: one JSON event per request. Checks, in order: path (404), method (405),
 * body size as sent and after gzip decoding ({@code max.request.bytes}, 413), event size
 * ({@code max.event.bytes}, 413), UTF-8 and JSON syntax (400 {@code malformed JSON}), envelope
 * ({@link EventEnvelope#parse}, 400 with reason and JSON pointer). A valid event goes to the
 * {@link EventSink}; the response is written only when its {@link Outcome} arrives, i.e. after Kafka
 * acknowledged the record (200 {@code accepted}), Connect dropped it (200 {@code duplicate}), or the
 * task gave up on it (503 {@code failed}). A full queue is answered at once: 503 + {@code Retry-After}.
 *
 * <p>The body is read with blocking reads on a Jetty pool thread (bounded by the size limits);
 * waiting for Kafka does not hold a thread: {@code handle} returns and the outcome callback writes
 * the response and completes Jetty's callback.
 */
public final class EventsHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(EventsHandler.class);

    public static final String PATH = "/events";
    public static final String APPLICATION_JSON = "application/json";

    public static final String STATUS_ACCEPTED = "accepted";
    public static final String STATUS_DUPLICATE = "duplicate";
    public static final String STATUS_INVALID = "invalid";
    public static final String STATUS_FAILED = "failed";

    public static final String REASON_QUEUE_FULL = "ingestion queue full";
    public static final String REASON_STOPPING = "connector stopping; retry";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String RETRY_AFTER_SECONDS = "1";

    private final EventSink sink;
    private final int maxRequestBytes;
    private final int maxEventBytes;
    private final LongSupplier clock;

    public EventsHandler(EventSink sink, int maxRequestBytes, int maxEventBytes, LongSupplier clock) {
        this.sink = sink;
        this.maxRequestBytes = maxRequestBytes;
        this.maxEventBytes = maxEventBytes;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            handleEvent(request, response, callback);
        } catch (RuntimeException e) {
            log.error("Unexpected error handling {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
            if (!response.isCommitted()) {
                send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                        failure(null, STATUS_FAILED, "internal error; retry"), true);
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    private void handleEvent(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!PATH.equals(path)) {
            send(response, callback, HttpStatus.NOT_FOUND_404,
                    failure(null, STATUS_INVALID, "no such endpoint: " + path + " (events are POSTed to " + PATH + ")"), false);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    failure(null, STATUS_INVALID, "method " + request.getMethod() + " not allowed on " + PATH + "; use POST"), false);
            return;
        }
        long receivedAt = clock.getAsLong();

        byte[] body;
        try {
            body = readBody(request);
        } catch (BodyTooLarge e) {
            send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, failure(null, STATUS_INVALID, e.getMessage()), false);
            return;
        } catch (UnsupportedEncoding e) {
            send(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, failure(null, STATUS_INVALID, e.getMessage()), false);
            return;
        } catch (ZipException e) {
            send(response, callback, HttpStatus.BAD_REQUEST_400,
                    failure(null, STATUS_INVALID, "malformed gzip body: " + e.getMessage()), false);
            return;
        } catch (IOException e) {
            send(response, callback, HttpStatus.BAD_REQUEST_400,
                    failure(null, STATUS_INVALID, "could not read request body: " + e.getMessage()), false);
            return;
        }

        if (body.length > maxEventBytes) {
            send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, failure(null, STATUS_INVALID,
                    "event is " + body.length + " bytes; " + EventSourceConfig.MAX_EVENT_BYTES + " is " + maxEventBytes), false);
            return;
        }

        String json;
        JsonNode node;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            node = JsonMapper.get().readTree(json);
        } catch (CharacterCodingException e) {
            send(response, callback, HttpStatus.BAD_REQUEST_400,
                    failure(null, STATUS_INVALID, "malformed JSON: body is not valid UTF-8"), false);
            return;
        } catch (JsonProcessingException e) {
            send(response, callback, HttpStatus.BAD_REQUEST_400,
                    failure(null, STATUS_INVALID, "malformed JSON: " + describe(e)), false);
            return;
        }
        if (node == null || node.isMissingNode()) {
            send(response, callback, HttpStatus.BAD_REQUEST_400,
                    failure(null, STATUS_INVALID, "malformed JSON: empty body"), false);
            return;
        }

        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parse(node);
        } catch (InvalidEnvelopeException e) {
            JsonNode id = node.path(EventEnvelope.EVENT_ID);
            ObjectNode answer = failure(id.isTextual() ? id.textValue() : null, STATUS_INVALID, e.reason());
            answer.put("pointer", e.pointer());
            send(response, callback, HttpStatus.BAD_REQUEST_400, answer, false);
            return;
        }

        String eventId = envelope.eventId();
        AtomicBoolean answered = new AtomicBoolean();
        Admission admission = sink.submit(new ReceivedEvent(envelope, json, receivedAt, ReceivedEvent.HTTP), outcome -> {
            if (answered.compareAndSet(false, true)) {
                answer(response, callback, eventId, outcome);
            }
        });
        switch (admission) {
            case QUEUED -> {
                // Answered later, from the outcome callback.
            }
            case QUEUE_FULL -> send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    failure(eventId, STATUS_FAILED, REASON_QUEUE_FULL), true);
            case STOPPING -> send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                    failure(eventId, STATUS_FAILED, REASON_STOPPING), true);
        }
    }

    /** Maps an {@link Outcome} to the HTTP answer. */
    static void answer(Response response, Callback callback, String eventId, Outcome outcome) {
        ObjectNode body = JSON.objectNode();
        body.put("eventId", eventId);
        if (outcome instanceof Outcome.Accepted accepted) {
            body.put("status", STATUS_ACCEPTED);
            body.put("topic", accepted.topic());
            body.put("partition", accepted.partition());
            body.put("offset", accepted.offset());
            send(response, callback, HttpStatus.OK_200, body, false);
        } else if (outcome instanceof Outcome.Duplicate) {
            body.put("status", STATUS_DUPLICATE);
            send(response, callback, HttpStatus.OK_200, body, false);
        } else if (outcome instanceof Outcome.Failed failed) {
            body.put("status", STATUS_FAILED);
            body.put("reason", failed.reason());
            send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, body, true);
        }
    }

    private byte[] readBody(Request request) throws IOException, BodyTooLarge, UnsupportedEncoding {
        long declared = request.getLength();
        if (declared > maxRequestBytes) {
            throw new BodyTooLarge("request body is " + declared + " bytes; "
                    + EventSourceConfig.MAX_REQUEST_BYTES + " is " + maxRequestBytes);
        }
        byte[] raw;
        try (InputStream in = Content.Source.asInputStream(request)) {
            raw = readCapped(in, maxRequestBytes, "request body");
        }
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return raw;
        }
        String normalized = encoding.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("gzip") || normalized.equals("x-gzip")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return readCapped(in, maxRequestBytes, "decompressed request body");
            }
        }
        throw new UnsupportedEncoding("Content-Encoding " + encoding + " is not supported; send identity or gzip");
    }

    private byte[] readCapped(InputStream in, int cap, String what) throws IOException, BodyTooLarge {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(cap, 8192));
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > cap) {
                throw new BodyTooLarge(what + " exceeds " + EventSourceConfig.MAX_REQUEST_BYTES + " (" + cap + " bytes)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        // Jackson quotes up to 500 characters of the input; keep answers short.
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }

    private static ObjectNode failure(String eventId, String status, String reason) {
        ObjectNode body = JSON.objectNode();
        if (eventId != null) {
            body.put("eventId", eventId);
        }
        body.put("status", status);
        body.put("reason", reason);
        return body;
    }

    private static void send(Response response, Callback callback, int status, ObjectNode body, boolean retryAfter) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, APPLICATION_JSON);
        if (retryAfter) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        Content.Sink.write(response, true, body.toString(), callback);
    }

    private static final class BodyTooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(String message) {
            super(message);
        }
    }

    private static final class UnsupportedEncoding extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedEncoding(String message) {
            super(message);
        }
    }
}
