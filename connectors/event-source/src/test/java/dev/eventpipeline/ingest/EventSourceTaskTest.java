package dev.eventpipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.Topics;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.eventpipeline.ingest.TestEvents.event;
import static dev.eventpipeline.ingest.TestEvents.json;
import static dev.eventpipeline.ingest.TestEvents.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Starts the task's real Jetty listener on an ephemeral port and plays Connect's part by hand. */
class EventSourceTaskTest {
    private final List<EventSourceTask> started = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        started.forEach(EventSourceTask::stop);
    }

    private EventSourceTask startTask(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "event-source");
        props.put(EventSourceTask.TASK_ID, "0");
        props.put("listener.host", "127.0.0.1");
        props.put("listener.port", "0");
        props.putAll(overrides);
        EventSourceTask task = new EventSourceTask();
        task.initialize(new FakeContext(props));
        task.start(props);
        started.add(task);
        assertThat(task.boundPort()).isPositive();
        return task;
    }

    private EventSourceTask startTask() {
        return startTask(Map.of());
    }

    /** Polls like the worker until the task hands over {@code n} records. */
    private static List<SourceRecord> pollRecords(EventSourceTask task, int n) {
        List<SourceRecord> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
            return records.size() >= n;
        });
        assertThat(records).hasSize(n);
        return records;
    }

    private static HttpResponse<String> answerOf(CompletableFuture<HttpResponse<String>> response) throws Exception {
        return response.get(10, TimeUnit.SECONDS);
    }

    private static RecordMetadata metadata(String topic, int partition, long offset) {
        return new RecordMetadata(new TopicPartition(topic, partition), offset, 0, System.currentTimeMillis(), -1, -1);
    }

    @Test
    void answersAcceptedOnlyAfterCommitRecordWithWhereTheRecordLanded() throws Exception {
        EventSourceTask task = startTask();
        String body = event("evt-1");
        CompletableFuture<HttpResponse<String>> response = post(task.boundPort(), body);

        SourceRecord record = pollRecords(task, 1).get(0);
        Thread.sleep(300); // give a wrong early answer every chance to arrive
        assertThat(response).as("answered before Kafka acknowledged").isNotDone();

        task.commitRecord(record, metadata(Topics.VALIDATED, 3, 41));

        HttpResponse<String> answer = answerOf(response);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode json = json(answer.body());
        assertThat(json.path("eventId").asText()).isEqualTo("evt-1");
        assertThat(json.path("status").asText()).isEqualTo("accepted");
        assertThat(json.path("topic").asText()).isEqualTo(Topics.VALIDATED);
        assertThat(json.path("partition").asInt()).isEqualTo(3);
        assertThat(json.path("offset").asLong()).isEqualTo(41);
        assertThat(task.pending()).isZero();
    }

    @Test
    void recordCarriesTheOriginalBytesKeyedBySessionWithHeaders() throws Exception {
        EventSourceTask task = startTask();
        String body = event("evt-2", "session-xyz");
        long before = System.currentTimeMillis();
        CompletableFuture<HttpResponse<String>> response = post(task.boundPort(), body);

        SourceRecord record = pollRecords(task, 1).get(0);
        assertThat(record.topic()).isEqualTo(Topics.RAW);
        assertThat(record.kafkaPartition()).isNull();
        assertThat(record.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(record.value()).isEqualTo(body);
        assertThat(((String) record.value()).getBytes(StandardCharsets.UTF_8)).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertThat(record.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(record.key()).isEqualTo("session-xyz");
        assertThat(record.timestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(header(record, EventHeaders.RECEIVED_AT)).isEqualTo(record.timestamp().toString());
        assertThat(header(record, EventHeaders.INGEST_TASK)).isEqualTo("event-source-0");
        assertThat(header(record, EventHeaders.TRANSPORT)).isEqualTo("http");
        assertThat(record.sourcePartition()).isEqualTo(Map.of("listener", "127.0.0.1:0"));
        assertThat(record.sourceOffset().get("received.at")).isEqualTo(record.timestamp());

        task.commitRecord(record, metadata(Topics.RAW, 0, 0));
        assertThat(answerOf(response).statusCode()).isEqualTo(200);
    }

    @Test
    void filteredRecordIsAnsweredDuplicate() throws Exception {
        EventSourceTask task = startTask();
        CompletableFuture<HttpResponse<String>> response = post(task.boundPort(), event("evt-3"));
        SourceRecord record = pollRecords(task, 1).get(0);

        task.commitRecord(record, null);

        HttpResponse<String> answer = answerOf(response);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer.body()).path("status").asText()).isEqualTo("duplicate");
        assertThat(json(answer.body()).path("eventId").asText()).isEqualTo("evt-3");
    }

    @Test
    void pendingRequestsAreFoundByRecordIdentityNotEquality() throws Exception {
        EventSourceTask task = startTask();
        CompletableFuture<HttpResponse<String>> response = post(task.boundPort(), event("evt-4"));
        SourceRecord original = pollRecords(task, 1).get(0);
        // What an SMT hands on: a new, equal-looking object. Connect reports back with the original.
        SourceRecord transformed = original.newRecord(original.topic(), original.kafkaPartition(), original.keySchema(),
                original.key(), original.valueSchema(), original.value(), original.timestamp(), original.headers());

        task.commitRecord(transformed, metadata(Topics.RAW, 0, 7));
        Thread.sleep(200);
        assertThat(response).isNotDone();

        task.commitRecord(original, metadata(Topics.RAW, 0, 7));
        assertThat(answerOf(response).statusCode()).isEqualTo(200);
    }

    @Test
    void eachClientGetsItsOwnRecordsOutcome() throws Exception {
        EventSourceTask task = startTask();
        CompletableFuture<HttpResponse<String>> first = post(task.boundPort(), event("evt-a"));
        CompletableFuture<HttpResponse<String>> second = post(task.boundPort(), event("evt-b"));
        List<SourceRecord> records = pollRecords(task, 2);

        for (SourceRecord record : records) {
            String eventId = json((String) record.value()).path("eventId").asText();
            task.commitRecord(record, metadata(Topics.RAW, 1, eventId.equals("evt-a") ? 100 : 200));
        }

        assertThat(json(answerOf(first).body()).path("offset").asLong()).isEqualTo(100);
        assertThat(json(answerOf(second).body()).path("offset").asLong()).isEqualTo(200);
    }

    @Test
    void malformedJsonIsRejectedWithTheReason() throws Exception {
        EventSourceTask task = startTask();
        HttpResponse<String> answer = answerOf(post(task.boundPort(), "{\"eventId\": \"x\",}"));

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode json = json(answer.body());
        assertThat(json.path("status").asText()).isEqualTo("invalid");
        assertThat(json.path("reason").asText()).startsWith("malformed JSON: ");
        assertThat(task.queued()).isZero();
    }

    @Test
    void missingEventIdIsRejectedWithItsPointer() throws Exception {
        EventSourceTask task = startTask();
        String body = TestEvents.objectWithout(event("evt-5"), "eventId").toString();

        HttpResponse<String> answer = answerOf(post(task.boundPort(), body));

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode json = json(answer.body());
        assertThat(json.path("status").asText()).isEqualTo("invalid");
        assertThat(json.path("pointer").asText()).isEqualTo("/eventId");
        assertThat(json.path("reason").asText()).isEqualTo("/eventId: is required");
        assertThat(json.has("eventId")).isFalse();
    }

    @Test
    void invalidEnvelopeAnswerNamesTheEventIdWhenKnown() throws Exception {
        EventSourceTask task = startTask();
        String body = TestEvents.objectWithout(event("evt-6"), "sessionId").toString();

        HttpResponse<String> answer = answerOf(post(task.boundPort(), body));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer.body()).path("eventId").asText()).isEqualTo("evt-6");
        assertThat(json(answer.body()).path("pointer").asText()).isEqualTo("/sessionId");
    }

    @Test
    void oversizedEventIsRejected413() throws Exception {
        EventSourceTask task = startTask(Map.of("max.event.bytes", "1024"));
        String body = event("evt-7").replace("\"SKU-123\"", "\"" + "x".repeat(2000) + "\"");

        HttpResponse<String> answer = answerOf(post(task.boundPort(), body));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(json(answer.body()).path("reason").asText()).contains("max.event.bytes is 1024");
        assertThat(task.queued()).isZero();
    }

    @Test
    void fullBufferIsAnswered429WithRetryAfter() throws Exception {
        EventSourceTask task = startTask(Map.of("queue.capacity", "1", "max.batch.events", "1"));
        CompletableFuture<HttpResponse<String>> queued = post(task.boundPort(), event("evt-8"));
        await().atMost(Duration.ofSeconds(10)).until(() -> task.queued() == 1);

        HttpResponse<String> rejected = answerOf(post(task.boundPort(), event("evt-9")));

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode json = json(rejected.body());
        assertThat(json.path("status").asText()).isEqualTo("failed");
        assertThat(json.path("reason").asText()).isEqualTo(dev.eventpipeline.ingest.protocol.EventResult.REASON_QUEUE_FULL);
        assertThat(json.path("eventId").asText()).isEqualTo("evt-9");
        assertThat(task.pending()).as("the rejected event is not waited for").isEqualTo(1);
        assertThat(queued).isNotDone();
    }

    @Test
    void stopAnswersEveryWaitingRequest503() throws Exception {
        EventSourceTask task = startTask();
        CompletableFuture<HttpResponse<String>> polled = post(task.boundPort(), event("evt-10"));
        pollRecords(task, 1); // handed to "Connect", never committed
        CompletableFuture<HttpResponse<String>> stillQueued = post(task.boundPort(), event("evt-11"));
        await().atMost(Duration.ofSeconds(10)).until(() -> task.queued() == 1);

        task.stop();

        for (CompletableFuture<HttpResponse<String>> response : List.of(polled, stillQueued)) {
            HttpResponse<String> answer = answerOf(response);
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(answer.body()).path("status").asText()).isEqualTo("failed");
            assertThat(json(answer.body()).path("reason").asText()).isEqualTo("connector stopping; retry");
        }
        assertThat(task.pending()).isZero();
        assertThat(task.queued()).isZero();
    }

    @Test
    void commitAfterStopIsIgnored() {
        EventSourceTask task = startTask();
        post(task.boundPort(), event("evt-12"));
        SourceRecord record = pollRecords(task, 1).get(0);
        task.stop();

        task.commitRecord(record, metadata(Topics.RAW, 0, 1)); // no exception, nobody to answer
        assertThat(task.pending()).isZero();
    }

    @Test
    void requestWaitingLongerThanAckTimeoutIsAnsweredFailedAndWithdrawn() throws Exception {
        EventSourceTask task = startTask(Map.of("ack.timeout.ms", "300"));
        CompletableFuture<HttpResponse<String>> response = post(task.boundPort(), event("evt-13"));

        HttpResponse<String> answer = answerOf(response);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(answer.body()).path("status").asText()).isEqualTo("failed");
        assertThat(json(answer.body()).path("reason").asText()).contains("300 ms");
        assertThat(task.queued()).as("not handed to Connect after its client was told to retry").isZero();
        assertThat(task.poll()).isNull();
    }

    @Test
    void pollReturnsNullWhenIdleAndRespectsPollMaxRecords() throws Exception {
        EventSourceTask task = startTask(Map.of("poll.max.records", "2"));
        long start = System.nanoTime();
        assertThat(task.poll()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));

        for (int i = 0; i < 3; i++) {
            post(task.boundPort(), event("evt-p" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> task.queued() == 3);
        assertThat(task.poll()).hasSize(2);
        assertThat(task.poll()).hasSize(1);
    }

    @Test
    void invalidConfigFailsStartWithTheKey() {
        EventSourceTask task = new EventSourceTask();
        Map<String, String> props = Map.of("listener.port", "70000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> task.start(props))
                .hasMessageContaining("listener.port");
    }

    @Test
    void portInUseFailsStartClearly() {
        EventSourceTask first = startTask();
        EventSourceTask second = new EventSourceTask();
        Map<String, String> props = Map.of("listener.host", "127.0.0.1", "listener.port", String.valueOf(first.boundPort()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.start(props))
                .isInstanceOf(org.apache.kafka.connect.errors.ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + first.boundPort());
        second.stop(); // safe after a failed start
    }

    @Test
    void versionIsThePluginVersion() {
        assertThat(new EventSourceTask().version()).isEqualTo(Version.get());
    }

    private static String header(SourceRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        assertThat(header).as("header " + name).isNotNull();
        return (String) header.value();
    }

    record FakeContext(Map<String, String> configs) implements SourceTaskContext {
        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return null;
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    return Map.of();
                }
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
