package dev.eventpipeline.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.eventpipeline.ingest.TestEvents.event;
import static dev.eventpipeline.ingest.TestEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP contract of {@code /events} against a fake sink: status codes, bodies, headers, decoding. */
class EventsHandlerTest {
    private static final int MAX_REQUEST = 4096;
    private static final int MAX_EVENT = 2048;
    private static final long NOW = 1_700_000_000_000L;

    private record Submission(ReceivedEvent event, Consumer<Outcome> onOutcome) {
    }

    /** Queues everything and lets the test answer; {@code admission} can be switched. */
    private static final class FakeSink implements EventSink {
        final LinkedBlockingQueue<Submission> submitted = new LinkedBlockingQueue<>();
        volatile Admission admission = Admission.QUEUED;

        @Override
        public Admission submit(java.util.List<ReceivedEvent> events, OutcomeCallback onOutcome) {
            if (admission == Admission.QUEUED) {
                for (int i = 0; i < events.size(); i++) {
                    int index = i;
                    submitted.add(new Submission(events.get(i), outcome -> onOutcome.onOutcome(index, outcome)));
                }
            }
            return admission;
        }

        Submission next() throws InterruptedException {
            Submission s = submitted.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("an event reached the sink").isNotNull();
            return s;
        }
    }

    private final FakeSink sink = new FakeSink();
    private HttpListener listener;
    private int port;

    private final dev.eventpipeline.ingest.stats.IngestStats stats = new dev.eventpipeline.ingest.stats.IngestStats();

    @BeforeEach
    void start() throws Exception {
        EventsHandler handler = new EventsHandler(sink,
                new dev.eventpipeline.ingest.protocol.EventParser(MAX_EVENT, 100),
                new dev.eventpipeline.ingest.auth.ApiKeyAuthenticator(java.util.List.of()),
                stats, "test", MAX_REQUEST, MAX_EVENT, () -> NOW);
        handler.metrics(dev.eventpipeline.ingest.stats.IngestMeters.bind(stats, "src", 0)::scrape);
        listener = HttpListenerTest.listener("test", 0, handler);
        listener.start();
        port = listener.port();
    }

    @AfterEach
    void stop() throws Exception {
        listener.stop();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return TestEvents.send(request.timeout(Duration.ofSeconds(10)).build());
    }

    private HttpRequest.Builder post(byte[] body) {
        return HttpRequest.newBuilder(TestEvents.uri(port, "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static void assertJsonAnswer(HttpResponse<String> response, int status, String state) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(json(response.body()).path("status").asText()).isEqualTo(state);
    }

    @Test
    void metricsAreServedInPrometheusFormatWithCountsByStatusAndTheLatencyHistogram() throws Exception {
        CompletableFuture<HttpResponse<String>> response = TestEvents.post(port, event("evt-m"));
        sink.next().onOutcome().accept(new Outcome.Accepted("raw", 0, 1));
        assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        TestEvents.post(port, "{not json").get(10, TimeUnit.SECONDS);
        stats.recordLatencyNanos(TimeUnit.MILLISECONDS.toNanos(3));

        HttpResponse<String> metrics = send(HttpRequest.newBuilder(TestEvents.uri(port, "/events/metrics")));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("ingest_events_total{connector=\"src\",status=\"accepted\",task=\"0\"} 1.0")
                .contains("ingest_events_total{connector=\"src\",status=\"invalid\",task=\"0\"} 0.0")
                .contains("ingest_requests_rejected_total{connector=\"src\",task=\"0\"} 1.0")
                .contains("ingest_ack_latency_seconds_count{connector=\"src\",task=\"0\"} 1")
                .contains("ingest_ack_latency_seconds_bucket{connector=\"src\",task=\"0\",le=")
                .contains("ingest_connections{connector=\"src\",task=\"0\",transport=\"websocket\"} 0.0");
        assertThat(send(HttpRequest.newBuilder(TestEvents.uri(port, "/events/metrics")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(405);
    }

    @Test
    void validEventReachesTheSinkAndWaitsForItsOutcome() throws Exception {
        String body = event("evt-1");
        CompletableFuture<HttpResponse<String>> response = TestEvents.post(port, body);

        Submission submission = sink.next();
        assertThat(submission.event().json()).isEqualTo(body);
        assertThat(submission.event().envelope().eventId()).isEqualTo("evt-1");
        assertThat(submission.event().receivedAt()).isEqualTo(NOW);
        assertThat(submission.event().transport()).isEqualTo("http");
        Thread.sleep(200);
        assertThat(response).isNotDone();

        submission.onOutcome().accept(new Outcome.Accepted("cart-events-raw", 2, 99));

        HttpResponse<String> answer = response.get(10, TimeUnit.SECONDS);
        assertJsonAnswer(answer, 200, "accepted");
        assertThat(answer.body()).isEqualTo(
                "{\"eventId\":\"evt-1\",\"status\":\"accepted\",\"topic\":\"cart-events-raw\",\"partition\":2,\"offset\":99}");
    }

    @Test
    void outcomesMapToStatusCodes() throws Exception {
        CompletableFuture<HttpResponse<String>> duplicate = TestEvents.post(port, event("evt-d"));
        sink.next().onOutcome().accept(new Outcome.Duplicate());
        assertThat(duplicate.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"eventId\":\"evt-d\",\"status\":\"duplicate\"}");

        CompletableFuture<HttpResponse<String>> failed = TestEvents.post(port, event("evt-f"));
        sink.next().onOutcome().accept(new Outcome.Failed("broker gone; retry"));
        HttpResponse<String> answer = failed.get(10, TimeUnit.SECONDS);
        assertJsonAnswer(answer, 503, "failed");
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(answer.body()).path("reason").asText()).isEqualTo("broker gone; retry");
    }

    @Test
    void onlyTheFirstOutcomeIsWritten() throws Exception {
        CompletableFuture<HttpResponse<String>> response = TestEvents.post(port, event("evt-2"));
        Submission submission = sink.next();
        submission.onOutcome().accept(new Outcome.Duplicate());
        submission.onOutcome().accept(new Outcome.Failed("late"));
        assertJsonAnswer(response.get(10, TimeUnit.SECONDS), 200, "duplicate");
    }

    @Test
    void queueFullIs429AndStoppingIs503AnsweredAtOnce() {
        sink.admission = Admission.QUEUE_FULL;
        HttpResponse<String> full = send(post(event("evt-3").getBytes(StandardCharsets.UTF_8)));
        assertJsonAnswer(full, 429, "failed");
        assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(full.body()).path("reason").asText()).isEqualTo(dev.eventpipeline.ingest.protocol.EventResult.REASON_QUEUE_FULL);
        assertThat(json(full.body()).path("eventId").asText()).isEqualTo("evt-3");

        sink.admission = Admission.STOPPING;
        HttpResponse<String> stopping = send(post(event("evt-4").getBytes(StandardCharsets.UTF_8)));
        assertJsonAnswer(stopping, 503, "failed");
        assertThat(json(stopping.body()).path("reason").asText()).isEqualTo("connector stopping; retry");
    }

    @Test
    void gzipBodyIsDecodedAndWrittenAsTheOriginalText() throws Exception {
        String body = event("evt-gz");
        CompletableFuture<HttpResponse<String>> response = TestEvents.HTTP.sendAsync(
                post(TestEvents.gzip(body.getBytes(StandardCharsets.UTF_8))).header("Content-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofString());

        Submission submission = sink.next();
        assertThat(submission.event().json()).isEqualTo(body);
        submission.onOutcome().accept(new Outcome.Accepted("t", 0, 1));
        assertJsonAnswer(response.get(10, TimeUnit.SECONDS), 200, "accepted");
    }

    @Test
    void brokenGzipIs400() {
        HttpResponse<String> response = send(post("not gzip".getBytes(StandardCharsets.UTF_8)).header("Content-Encoding", "gzip"));
        assertJsonAnswer(response, 400, "invalid");
        assertThat(json(response.body()).path("reason").asText()).startsWith("malformed gzip body");
    }

    @Test
    void gzipBombIsCutAtTheRequestLimit() {
        byte[] zeros = new byte[MAX_REQUEST * 50];
        HttpResponse<String> response = send(post(TestEvents.gzip(zeros)).header("Content-Encoding", "gzip"));
        assertJsonAnswer(response, 413, "invalid");
        assertThat(json(response.body()).path("reason").asText()).contains("decompressed request body exceeds max.request.bytes");
    }

    @Test
    void unknownContentEncodingIs415() {
        HttpResponse<String> response = send(post(event("e").getBytes(StandardCharsets.UTF_8)).header("Content-Encoding", "br"));
        assertJsonAnswer(response, 415, "invalid");
    }

    @Test
    void bodyOverTheRequestLimitIs413() {
        HttpResponse<String> response = send(post(new byte[MAX_REQUEST + 1]));
        assertJsonAnswer(response, 413, "invalid");
        assertThat(json(response.body()).path("reason").asText())
                .isEqualTo("request body is " + (MAX_REQUEST + 1) + " bytes; max.request.bytes is " + MAX_REQUEST);
    }

    @Test
    void chunkedBodyOverTheRequestLimitIs413() {
        // No Content-Length: the limit is enforced while reading.
        byte[] big = new byte[MAX_REQUEST + 100];
        HttpRequest.Builder request = HttpRequest.newBuilder(TestEvents.uri(port, "/events"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        HttpResponse<String> response = send(request);
        assertJsonAnswer(response, 413, "invalid");
        assertThat(json(response.body()).path("reason").asText()).contains("exceeds max.request.bytes");
    }

    @Test
    void eventOverTheEventLimitIs413() {
        String big = event("evt-big").replace("\"SKU-123\"", "\"" + "x".repeat(MAX_EVENT) + "\"");
        HttpResponse<String> response = send(post(big.getBytes(StandardCharsets.UTF_8)));
        assertJsonAnswer(response, 413, "invalid");
        assertThat(json(response.body()).path("reason").asText()).contains("max.event.bytes is " + MAX_EVENT);
        assertThat(sink.submitted).isEmpty();
    }

    @Test
    void malformedInputIs400WithAReason() {
        for (String bad : new String[]{"{\"eventId\":", "[1,2", "{} {}", "{\"a\":1,\"a\":2}", "nul"}) {
            HttpResponse<String> response = send(post(bad.getBytes(StandardCharsets.UTF_8)));
            assertJsonAnswer(response, 400, "invalid");
            assertThat(json(response.body()).path("reason").asText()).as(bad).startsWith("malformed JSON: ");
        }
        HttpResponse<String> empty = send(post(new byte[0]));
        assertJsonAnswer(empty, 400, "invalid");
        assertThat(json(empty.body()).path("reason").asText()).isEqualTo("malformed JSON: empty body");

        HttpResponse<String> notUtf8 = send(post(new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        assertJsonAnswer(notUtf8, 400, "invalid");
        assertThat(json(notUtf8.body()).path("reason").asText()).isEqualTo("malformed JSON: body is not valid UTF-8");

        String deep = "[".repeat(100) + "]".repeat(100);
        assertJsonAnswer(send(post(deep.getBytes(StandardCharsets.UTF_8))), 400, "invalid");
        assertThat(sink.submitted).isEmpty();
    }

    @Test
    void envelopeErrorsCarryReasonAndPointer() {
        String body = TestEvents.objectWithout(event("evt-5"), "occurredAt").toString();
        HttpResponse<String> response = send(post(body.getBytes(StandardCharsets.UTF_8)));
        assertJsonAnswer(response, 400, "invalid");
        JsonNode json = json(response.body());
        assertThat(json.path("eventId").asText()).isEqualTo("evt-5");
        assertThat(json.path("pointer").asText()).isEqualTo("/occurredAt");
        assertThat(json.path("reason").asText()).isEqualTo("/occurredAt: is required");

        HttpResponse<String> notObject = send(post("[1]".getBytes(StandardCharsets.UTF_8)));
        assertJsonAnswer(notObject, 400, "invalid");
        assertThat(json(notObject.body()).path("reason").asText()).contains("one event object");

        HttpResponse<String> scalar = send(post("42".getBytes(StandardCharsets.UTF_8)));
        assertJsonAnswer(scalar, 400, "invalid");
        assertThat(json(scalar.body()).path("pointer").asText()).isEmpty();
        assertThat(json(scalar.body()).path("reason").asText()).contains("must be a JSON object");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        HttpResponse<String> notFound = send(HttpRequest.newBuilder(TestEvents.uri(port, "/nope")).GET());
        assertJsonAnswer(notFound, 404, "invalid");
        assertThat(json(notFound.body()).path("reason").asText()).contains("/nope");

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(TestEvents.uri(port, "/events")).GET());
        assertJsonAnswer(wrongMethod, 405, "invalid");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> put = send(HttpRequest.newBuilder(TestEvents.uri(port, "/events"))
                .PUT(HttpRequest.BodyPublishers.ofString(event("x"))));
        assertJsonAnswer(put, 405, "invalid");
        assertThat(sink.submitted).isEmpty();
    }
}
