package dev.eventpipeline.ingest.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.WsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.eventpipeline.ingest.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** SIGKILL the Connect worker while clients stream: every event acknowledged before the kill is in Kafka. */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WorkerKillIT {

    @Test
    void nothingAcknowledgedIsLostWhenTheWorkerIsKilled(@TempDir Path dir) throws Exception {
        try (ConnectCluster cluster = ConnectCluster.start(dir)) {
            int port = PortCheck.freePort();
            cluster.deploy("es-kill", Map.of("listener.port", Integer.toString(port)), 1);
            WsClient ws = WsClient.connect("ws://127.0.0.1:" + port + "/events/stream");
            ws.streamInBackground("k", 100);

            Map<String, String> accepted = new HashMap<>();
            while (accepted.size() < 5_000) {
                JsonNode ack = ws.acks.poll(30, TimeUnit.SECONDS);
                assertThat(ack).as("acks keep coming").isNotNull();
                assertThat(ack.path("status").asText()).isEqualTo("accepted");
                accepted.put(ack.path("eventId").asText(), EventSourceIT.where(ack));
            }
            cluster.worker.kill(); // SIGKILL right after an ack: no graceful stop, no producer flush
            assertThat(cluster.worker.isAlive()).isFalse();
            ws.closeCode.handle((c, e) -> c).get(60, TimeUnit.SECONDS);
            JsonNode late;
            while ((late = ws.acks.poll()) != null) {
                if ("accepted".equals(late.path("status").asText())) {
                    accepted.put(late.path("eventId").asText(), EventSourceIT.where(late));
                }
            }

            Map<String, String> inKafka = cluster.readAll(List.of(Topics.RAW), accepted.size());
            assertThat(inKafka).as("every acknowledged event at the acknowledged position").containsAllEntriesOf(accepted);

            // The restarted worker resumes the connector from its stored config and accepts again.
            cluster.startWorker();
            cluster.awaitRunning("es-kill", 1);
            // The status topic may still say RUNNING from before the kill: wait for the listener itself.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(180))
                    .until(() -> PortCheck.isListening("127.0.0.1", port));
            HttpResponse<String> after = TestEvents.post(port, event("after-restart")).get(120, TimeUnit.SECONDS);
            assertThat(after.statusCode()).isEqualTo(200);
        }
    }
}
