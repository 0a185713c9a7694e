package dev.eventpipeline.ingest.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.eventpipeline.ingest.TestEvents.event;
import static dev.eventpipeline.ingest.TestEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector on a real distributed Connect worker (child JVM) and a real KRaft broker, loaded from
 * the module's plugin archive. A test transform stands in for validation (routes {@code "marker":"dlq"}
 * events to the DLQ) and de-duplication (drops {@code "marker":"drop"} events).
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EventSourceIT {
    @TempDir
    static Path dir;
    static ConnectCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConnectCluster.start(dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String marked(String id, String marker) {
        return event(id).replace("\"type\"", "\"marker\":\"" + marker + "\",\"type\"");
    }

    static Map<String, String> routed(int port) {
        return Map.of("listener.port", Integer.toString(port), "transforms", "route",
                "transforms.route.type", RouteByMarker.class.getName());
    }

    static String where(JsonNode ack) {
        return ack.path("topic").asText() + "/" + ack.path("partition").asInt() + "/" + ack.path("offset").asLong();
    }

    @Test
    void httpAndWebSocketAcksMatchWhatKafkaHas() throws Exception {
        int port = PortCheck.freePort();
        cluster.deploy("es-happy", routed(port), 1);
        Map<String, String> acked = new HashMap<>();

        HttpResponse<String> single = TestEvents.post(port, event("h-1")).get(60, TimeUnit.SECONDS);
        assertThat(single.statusCode()).isEqualTo(200);
        JsonNode s = json(single.body());
        assertThat(s.path("status").asText()).isEqualTo("accepted");
        assertThat(s.path("topic").asText()).isEqualTo(Topics.RAW);
        acked.put("h-1", where(s));

        try (WsClient ws = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
            ws.send("[" + event("w-1") + "," + marked("w-2", "dlq") + "," + marked("w-3", "drop") + "]");
            Map<String, JsonNode> acks = new HashMap<>();
            ws.take(3).forEach(a -> acks.put(a.path("eventId").asText(), a));
            assertThat(acks.get("w-1").path("status").asText()).isEqualTo("accepted");
            assertThat(acks.get("w-2").path("status").asText()).isEqualTo("invalid");
            assertThat(acks.get("w-2").path("reason").asText()).isEqualTo("routed to " + Topics.DLQ);
            assertThat(acks.get("w-2").path("topic").asText()).isEqualTo(Topics.DLQ);
            assertThat(acks.get("w-3").path("status").asText()).isEqualTo("duplicate");
            acked.put("w-1", where(acks.get("w-1")));
            acked.put("w-2", where(acks.get("w-2")));
        }

        String noId = TestEvents.objectWithout(event("x"), "eventId").toString();
        HttpResponse<String> batch = TestEvents.post(port, "/events/batch", HttpRequest.BodyPublishers.ofString(
                "[" + event("b-1") + "," + noId + "," + marked("b-3", "dlq") + "]")).get(60, TimeUnit.SECONDS);
        assertThat(batch.statusCode()).isEqualTo(207);
        JsonNode results = json(batch.body()).path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).path("status").asText()).isEqualTo("invalid");
        assertThat(results.get(1).path("pointer").asText()).isEqualTo("/eventId");
        assertThat(results.get(2).path("status").asText()).isEqualTo("invalid");
        acked.put("b-1", where(results.get(0)));
        acked.put("b-3", where(results.get(2)));

        HttpResponse<String> malformed = TestEvents.post(port, "{\"eventId\":").get(60, TimeUnit.SECONDS);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed.body()).path("reason").asText()).contains("malformed JSON");

        Map<String, String> inKafka = cluster.readAll(List.of(Topics.RAW, Topics.DLQ), acked.size());
        assertThat(inKafka).containsAllEntriesOf(acked);
        assertThat(inKafka).doesNotContainKey("w-3");

        JsonNode stats = json(TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(port, "/events/stats")).build()).body());
        assertThat(stats.path("task").asText()).isEqualTo("es-happy-0");
        assertThat(stats.path("counts").path("accepted").asLong()).isEqualTo(3);
        assertThat(stats.path("counts").path("invalid").asLong()).isEqualTo(3);
        assertThat(stats.path("counts").path("duplicate").asLong()).isEqualTo(1);
        cluster.rest("DELETE", "/connectors/es-happy", null);
    }

    @Test
    void twoTasksOnOneWorkerListenOnConsecutivePorts() throws Exception {
        int port = PortCheck.freePorts(2); // task 1 listens on port + 1: both must be free
        Map<String, String> config = new HashMap<>(routed(port));
        config.put("tasks.max", "2");
        cluster.deploy("es-two", config, 2);
        for (int task = 0; task < 2; task++) {
            HttpResponse<String> r = TestEvents.post(port + task, event("t-" + task)).get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode stats = json(TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(port + task, "/events/stats")).build()).body());
            assertThat(stats.path("task").asText()).isEqualTo("es-two-" + task);
            assertThat(stats.path("counts").path("accepted").asLong()).isEqualTo(1);
        }
        cluster.rest("DELETE", "/connectors/es-two", null);
    }

    @Test
    void restValidationExplainsBadValuesAndApiKeysAreEnforced() throws Exception {
        HttpResponse<String> validate = cluster.rest("PUT", "/connector-plugins/EventSourceConnector/config/validate",
                "{\"connector.class\":\"dev.eventpipeline.ingest.EventSourceConnector\",\"tasks.max\":\"4\","
                        + "\"listener.port\":\"65534\",\"max.batch.events\":\"50000\",\"auth.api.keys\":\"short\"}");
        assertThat(validate.statusCode()).isEqualTo(200);
        JsonNode v = json(validate.body());
        Map<String, String> errors = new HashMap<>();
        for (JsonNode c : v.path("configs")) {
            if (!c.path("value").path("errors").isEmpty()) {
                errors.put(c.path("value").path("name").asText(), c.path("value").path("errors").toString());
            }
        }
        assertThat(errors.get("listener.port")).contains("the last port would be 65537");
        assertThat(errors.get("max.batch.events")).contains("must not exceed queue.capacity");
        assertThat(errors.get("auth.api.keys")).contains("at least 16").doesNotContain("short");

        int port = PortCheck.freePort();
        String key = "it-key-0123456789abcdef";
        Map<String, String> config = new HashMap<>(routed(port));
        config.put("auth.api.keys", key);
        cluster.deploy("es-auth", config, 1);
        assertThat(TestEvents.post(port, event("a-1")).get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(port, "/events"))
                .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(event("a-2"))).build());
        assertThat(ok.statusCode()).isEqualTo(200);
        try (WsClient anonymous = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
            assertThat(anonymous.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(4401);
        }
        try (WsClient withKey = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream", "events.v1", "apikey." + key)) {
            withKey.send(event("a-3"));
            assertThat(withKey.take(1)).singleElement().satisfies(a -> assertThat(a.path("status").asText()).isEqualTo("accepted"));
        }
        cluster.rest("DELETE", "/connectors/es-auth", null);
    }

    @Test
    void floodOfBatchesGets429InsteadOfUnboundedBuffering() throws Exception {
        int port = PortCheck.freePort();
        Map<String, String> config = new HashMap<>(routed(port));
        config.put("queue.capacity", "300");
        config.put("max.batch.events", "200");
        cluster.deploy("es-flood", config, 1);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int r = 0; r < 30; r++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 200; i++) {
                body.append(i == 0 ? "" : ",").append(event("f-" + r + "-" + i));
            }
            responses.add(TestEvents.post(port, "/events/batch", HttpRequest.BodyPublishers.ofString(body.append(']').toString())));
        }
        int ok = 0;
        int tooMany = 0;
        for (CompletableFuture<HttpResponse<String>> f : responses) {
            HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(json(r.body()).path("failed").asInt()).isEqualTo(200);
                tooMany++;
            }
        }
        assertThat(ok + tooMany).isEqualTo(30);
        assertThat(ok).isPositive();
        JsonNode stats = json(TestEvents.send(HttpRequest.newBuilder(TestEvents.uri(port, "/events/stats")).build()).body());
        assertThat(stats.path("counts").path("accepted").asLong()).isEqualTo(ok * 200L);
        assertThat(stats.path("inFlight").asInt()).isZero();
        cluster.rest("DELETE", "/connectors/es-flood", null);
    }

    @Test
    void deletingTheConnectorAnswersAdmittedEventsAndClosesWith1012() throws Exception {
        int port = PortCheck.freePort();
        cluster.deploy("es-stop", routed(port), 1);
        WsClient ws = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream");
        Thread sender = ws.streamInBackground("s", 50);
        List<JsonNode> acks = new ArrayList<>(ws.take(2_000));
        assertThat(acks).hasSizeGreaterThanOrEqualTo(2_000);

        assertThat(cluster.rest("DELETE", "/connectors/es-stop", null).statusCode()).isEqualTo(204);
        // The server sends 1012 after the acks; a client still writing may see the TCP reset first.
        int code = ws.closeCode.handle((c, e) -> c == null ? -1 : c).get(60, TimeUnit.SECONDS);
        assertThat(code).isIn(1012, -1);
        sender.join(30_000);
        acks.addAll(ws.acks);
        Map<String, String> accepted = new HashMap<>();
        for (JsonNode a : acks) {
            assertThat(a.path("status").asText()).isIn("accepted", "failed");
            if ("accepted".equals(a.path("status").asText())) {
                accepted.put(a.path("eventId").asText(), where(a));
            }
        }
        Map<String, String> inKafka = cluster.readAll(List.of(Topics.RAW), accepted.size());
        assertThat(inKafka).containsAllEntriesOf(accepted);
        ws.close();
    }
}
