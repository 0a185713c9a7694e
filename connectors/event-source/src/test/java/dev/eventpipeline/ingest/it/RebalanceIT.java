package dev.eventpipeline.ingest.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.connect.ConnectWorkerProcess;
import dev.eventpipeline.ingest.WsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.eventpipeline.ingest.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two workers in one Connect group; the worker running the task leaves (SIGTERM, as in a rolling
 * restart) while a client streams. The stopping task closes its clients with 1012 after answering what it
 * admitted, every acknowledged event is in Kafka at the acknowledged position, and the task, moved to the
 * other worker by the rebalance, takes new events on the same port.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RebalanceIT {

    @Test
    void theTaskMovesToTheOtherWorkerAndNothingAcknowledgedIsLost(@TempDir Path dir) throws Exception {
        try (ConnectCluster cluster = ConnectCluster.start(dir)) {
            ConnectWorkerProcess second = cluster.startAnotherWorker();
            int port = PortCheck.freePort();
            cluster.deploy("es-rebalance", Map.of("listener.port", Integer.toString(port)), 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> PortCheck.isListening("127.0.0.1", port));

            String taskWorker = taskWorker(cluster, cluster.restUrl());
            ConnectWorkerProcess leaving = cluster.worker.restUrl().endsWith(taskWorker) ? cluster.worker : second;
            ConnectWorkerProcess staying = leaving == cluster.worker ? second : cluster.worker;

            WsClient ws = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream");
            ws.streamInBackground("r", 100);

            Map<String, String> accepted = new HashMap<>();
            int failed = 0;
            while (accepted.size() < 3_000) {
                JsonNode ack = ws.acks.poll(30, TimeUnit.SECONDS);
                assertThat(ack).as("acks keep coming").isNotNull();
                assertThat(ack.path("status").asText()).isEqualTo("accepted");
                accepted.put(ack.path("eventId").asText(), EventSourceIT.where(ack));
            }
            leaving.close(); // SIGTERM: the worker leaves the group, its task is stopped gracefully
            // The server sends 1012 after the acks; a client still writing may see the TCP reset first.
            int code = ws.closeCode.handle((c, e) -> c == null ? -1 : c).get(60, TimeUnit.SECONDS);
            assertThat(code).as("close code: task stopping (or a reset while writing)").isIn(1012, -1);
            JsonNode late;
            while ((late = ws.acks.poll(500, TimeUnit.MILLISECONDS)) != null) {
                switch (late.path("status").asText()) {
                    case "accepted" -> accepted.put(late.path("eventId").asText(), EventSourceIT.where(late));
                    case "failed" -> failed++;
                    default -> throw new AssertionError("unexpected ack " + late);
                }
            }

            Map<String, String> inKafka = cluster.readAll(List.of(Topics.RAW), accepted.size());
            assertThat(inKafka).as("every acknowledged event at the acknowledged position").containsAllEntriesOf(accepted);
            System.out.printf("rebalance: %d accepted, %d answered failed by the stopping task%n", accepted.size(), failed);

            // The rebalance gives the task to the remaining worker; it listens on the same port.
            cluster.awaitRunning(staying.restUrl(), "es-rebalance", 1);
            await().atMost(Duration.ofSeconds(120)).until(() -> staying.restUrl().endsWith(taskWorker(cluster, staying.restUrl()))
                    && PortCheck.isListening("127.0.0.1", port));
            try (WsClient again = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream")) {
                again.send("[" + event("after-rebalance-1") + "," + event("after-rebalance-2") + "]");
                List<JsonNode> acks = again.take(2);
                assertThat(acks).extracting(a -> a.path("status").asText()).containsOnly("accepted");
                Map<String, String> after = cluster.readAll(List.of(Topics.RAW), accepted.size() + 2);
                assertThat(after).containsKeys("after-rebalance-1", "after-rebalance-2");
                assertThat(after.get("after-rebalance-1")).isEqualTo(EventSourceIT.where(acks.get(0)));
            }
        }
    }

    /** "host:port" of the worker running task 0, as Connect's status reports it. */
    private static String taskWorker(ConnectCluster cluster, String baseUrl) throws Exception {
        JsonNode status = JsonMapper.get().readTree(cluster.rest(baseUrl, "GET", "/connectors/es-rebalance/status", null).body());
        return status.path("tasks").path(0).path("worker_id").asText("none");
    }
}
