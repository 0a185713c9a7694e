package dev.eventpipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.ingest.hooks.DurableWriteListener;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.eventpipeline.ingest.TestEvents.event;
import static dev.eventpipeline.ingest.TestEvents.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** WebSocket, batch, auth, stats and back-pressure on a real task listener; the test plays Connect. */
class StreamAndBatchTaskTest {
    static final String KEY = "test-key-0123456789abcdef";
    private final List<EventSourceTask> started = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();

    /** Durable-write hook that records what it was told. */
    public static final class RecordingListener implements DurableWriteListener {
        static final List<String> WRITTEN = new CopyOnWriteArrayList<>();

        @Override
        public void onDurablyWritten(SourceRecord original, RecordMetadata metadata) {
            WRITTEN.add(metadata.topic() + "@" + metadata.offset());
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
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
        task.initialize(new EventSourceTaskTest.FakeContext(props));
        task.start(props);
        started.add(task);
        return task;
    }

    private static List<SourceRecord> poll(EventSourceTask task, int n) {
        List<SourceRecord> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
            return records.size() >= n;
        });
        return records;
    }

    private static RecordMetadata md(String topic, long offset) {
        return new RecordMetadata(new TopicPartition(topic, 0), offset, 0, 0L, 0, 0);
    }

    private WsClient ws(EventSourceTask task, String... subprotocols) throws Exception {
        WsClient c = WsClient.connect("ws://127.0.0.1:" + task.boundPort() + "/events/stream", subprotocols);
        clients.add(c);
        return c;
    }

    @Test
    void batchWithPartialFailureAnswersEachEventInOrderWith207() throws Exception {
        EventSourceTask task = startTask(Map.of("ack.durable.write.listener.class", RecordingListener.class.getName()));
        String noType = TestEvents.objectWithout(event("b-2"), "type").toString();
        String body = "{\"batch\":[" + event("b-1") + "," + noType + "," + event("b-3") + "]}";
        CompletableFuture<HttpResponse<String>> response = TestEvents.post(task.boundPort(), "/events/batch",
                HttpRequest.BodyPublishers.ofString(body));

        List<SourceRecord> records = poll(task, 2);
        Thread.sleep(100);
        assertThat(response).as("answered only when every event is resolved").isNotDone();
        task.commitRecord(records.get(0), md(Topics.RAW, 10));
        task.commitRecord(records.get(1), md(Topics.DLQ, 3));

        HttpResponse<String> answer = response.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(207);
        JsonNode results = json(answer.body()).path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.get(0).path("offset").asLong()).isEqualTo(10);
        assertThat(results.get(1).path("status").asText()).isEqualTo("invalid");
        assertThat(results.get(1).path("pointer").asText()).isEqualTo("/type");
        assertThat(results.get(2).path("status").asText()).isEqualTo("invalid");
        assertThat(results.get(2).path("reason").asText()).isEqualTo("routed to cart-events-dlq");
        assertThat(results.get(2).path("topic").asText()).isEqualTo(Topics.DLQ);
        assertThat(json(answer.body()).path("accepted").asInt()).isEqualTo(1);
        assertThat(json(answer.body()).path("invalid").asInt()).isEqualTo(2);
        assertThat(RecordingListener.WRITTEN).contains(Topics.RAW + "@10", Topics.DLQ + "@3");
    }

    @Test
    void webSocketFrameOfEventsIsAckedOnlyFromCommitRecord() throws Exception {
        EventSourceTask task = startTask(Map.of());
        WsClient client = ws(task, "events.v1");
        client.send("[" + event("w-1") + "," + event("w-2") + "," + event("w-3", "other") + ",{\"eventId\":\"w-4\"}]");

        List<SourceRecord> records = poll(task, 3);
        Thread.sleep(200);
        assertThat(client.acks).as("nothing acked before Kafka answered every event of the frame").isEmpty();
        assertThat(records.get(0).headers().lastWithName("event-pipeline.transport").value()).isEqualTo("ws");
        task.commitRecord(records.get(0), md(Topics.RAW, 1));
        task.commitRecord(records.get(1), null);
        Thread.sleep(100);
        assertThat(client.acks).as("the frame is answered as a whole").isEmpty();
        task.commitRecord(records.get(2), md(Topics.RAW, 2));

        List<JsonNode> acks = client.take(4);
        assertThat(acks).extracting(a -> a.path("eventId").asText()).as("frame order").containsExactly("w-1", "w-2", "w-3", "w-4");
        assertThat(acks).extracting(a -> a.path("status").asText()).containsExactly("accepted", "duplicate", "accepted", "invalid");
        assertThat(acks.get(3).path("pointer").asText()).isEqualTo("/type");

        client.send("not json");
        assertThat(client.take(1)).singleElement()
                .satisfies(a -> assertThat(a.path("reason").asText()).startsWith("malformed JSON"));

        HttpResponse<String> stats = TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(task.boundPort(), "/events/stats")).build());
        JsonNode s = json(stats.body());
        assertThat(s.path("task").asText()).isEqualTo("event-source-0");
        assertThat(s.path("counts").path("accepted").asLong()).isEqualTo(2);
        assertThat(s.path("counts").path("duplicate").asLong()).isEqualTo(1);
        assertThat(s.path("counts").path("invalid").asLong()).isEqualTo(1);
        assertThat(s.path("connections").path("websocket").asInt()).isEqualTo(1);
        assertThat(s.path("ackLatencyMs").path("max").asDouble()).isPositive();
    }

    @Test
    void apiKeysGuardHttpAndWebSocket() throws Exception {
        EventSourceTask task = startTask(Map.of("auth.api.keys", "other-key-0123456789," + KEY));
        HttpResponse<String> missing = TestEvents.post(task.boundPort(), event("k-1")).get(10, TimeUnit.SECONDS);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing.body()).path("reason").asText()).startsWith("missing API key");
        HttpResponse<String> wrong = TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(task.boundPort(), "/events"))
                .header("X-API-Key", "nope-nope-nope-nope").POST(HttpRequest.BodyPublishers.ofString(event("k-1"))).build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(task.boundPort(), "/events/stats")).build()).statusCode())
                .isEqualTo(401);

        CompletableFuture<HttpResponse<String>> ok = TestEvents.HTTP.sendAsync(HttpRequest.newBuilder(TestEvents.uri(task.boundPort(), "/events"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(event("k-2"))).build(),
                HttpResponse.BodyHandlers.ofString());
        task.commitRecord(poll(task, 1).get(0), md(Topics.RAW, 5));
        assertThat(ok.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        WsClient anonymous = ws(task);
        assertThat(anonymous.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        assertThat(anonymous.closeReason).isEqualTo("missing API key");

        WsClient viaSubprotocol = ws(task, "events.v1", "apikey." + KEY);
        assertThat(viaSubprotocol.socket().getSubprotocol()).isEqualTo("events.v1");
        viaSubprotocol.send(event("k-3"));
        task.commitRecord(poll(task, 1).get(0), md(Topics.RAW, 6));
        assertThat(viaSubprotocol.take(1)).singleElement().satisfies(a -> assertThat(a.path("status").asText()).isEqualTo("accepted"));

        WsClient viaQuery = WsClient.connect("ws://127.0.0.1:" + task.boundPort() + "/events/stream?api_key=" + KEY);
        clients.add(viaQuery);
        viaQuery.send(event("k-4"));
        assertThat(poll(task, 1)).hasSize(1);
    }

    @Test
    void webSocketStopsReadingAtTheInFlightLimit() throws Exception {
        EventSourceTask task = startTask(Map.of("ws.max.inflight.per.connection", "2"));
        WsClient client = ws(task);
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < 6; i++) {
                    client.send(event("bp-" + i)); // one at a time: the JDK client allows one pending send
                }
            } catch (Exception e) {
                // the test fails on the missing records
            }
        });
        sender.setDaemon(true);
        sender.start();
        List<SourceRecord> first = poll(task, 2);
        Thread.sleep(300);
        assertThat(task.poll()).as("third frame not read while two events are unacknowledged").isNull();
        assertThat(task.pending()).isEqualTo(2);

        task.commitRecord(first.get(0), md(Topics.RAW, 1));
        task.commitRecord(first.get(1), md(Topics.RAW, 2));
        List<SourceRecord> next = poll(task, 2);
        assertThat(next).hasSize(2);
        assertThat(client.take(2)).hasSize(2);
    }

    @Test
    void fullTaskBufferPausesWebSocketUntilRoomFreesUp() throws Exception {
        EventSourceTask task = startTask(Map.of("queue.capacity", "2", "max.batch.events", "2"));
        WsClient client = ws(task);
        client.send("[" + event("q-1") + "," + event("q-2") + "]");
        client.sendAsync(event("q-3"));
        List<SourceRecord> first = poll(task, 2);
        Thread.sleep(300);
        assertThat(task.poll()).as("q-3 waits for room").isNull();
        HttpResponse<String> http = TestEvents.post(task.boundPort(), event("q-http")).get(10, TimeUnit.SECONDS);
        assertThat(http.statusCode()).isEqualTo(429);
        assertThat(http.headers().firstValue("Retry-After")).hasValue("1");

        task.commitRecord(first.get(0), md(Topics.RAW, 1));
        List<SourceRecord> third = poll(task, 1);
        assertThat(third.get(0).value().toString()).contains("q-3");
    }

    @Test
    void stopAnswersInFlightWebSocketEventsThenClosesWith1012() throws Exception {
        EventSourceTask task = startTask(Map.of());
        WsClient client = ws(task);
        client.send(event("s-1"));
        poll(task, 1); // handed to Connect, never committed
        task.stop();

        assertThat(client.take(1)).singleElement().satisfies(a -> {
            assertThat(a.path("eventId").asText()).isEqualTo("s-1");
            assertThat(a.path("status").asText()).isEqualTo("failed");
            assertThat(a.path("reason").asText()).isEqualTo("connector stopping; retry");
        });
        assertThat(client.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1012);
    }

    @Test
    void binaryFramesCloseWith1003() throws Exception {
        EventSourceTask task = startTask(Map.of());
        WsClient client = ws(task);
        client.socket().sendBinary(java.nio.ByteBuffer.wrap(new byte[]{1, 2}), true);
        assertThat(client.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
    }

    @Test
    void oversizedMessageClosesWith1009() throws Exception {
        EventSourceTask task = startTask(Map.of("max.request.bytes", "2048", "max.event.bytes", "1024"));
        WsClient client = ws(task);
        client.sendAsync("[" + "1,".repeat(2000) + "1]");
        assertThat(client.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }
}
