package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enrichment in the embedded shape (issue #6): a validated event becomes an enriched record and a
 * routed record (embedded twin in the launcher's JVM), and the Redis sink connector, deployed from
 * its plugin archive through Connect REST, writes the profile updates into user_profile:{userId}.
 * The events_processed row in ClickHouse belongs to the enriched-events sink (issue #5) and is not
 * asserted here.
 */
@Tag("integration")
class EnrichmentPipelineIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path workDir;
    static EmbeddedPipeline pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        workDir = Files.createTempDirectory("pipeline-enrichment");
        PipelineSettings settings = TestPipelines.settings(workDir);
        pipeline = EmbeddedPipeline.start(settings);
    }

    @AfterAll
    static void stopPipeline() throws IOException {
        if (pipeline != null) {
            pipeline.close();
        }
        PluginInstaller.deleteRecursively(workDir);
    }

    @Test
    void validatedEventIsEnrichedRoutedAndUpdatesTheProfileInRedis() throws Exception {
        assertThat(pipeline.connectors()).contains("redis-sink-user-profile");
        assertThat(pipeline.enrichment()).isPresent();
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.enrichment().get().state() == KafkaStreams.State.RUNNING);

        String user = "u-" + UUID.randomUUID();
        String session = "s-" + UUID.randomUUID();
        String occurredAt = Instant.now().toString();
        String order = "{\"eventId\":\"e-" + UUID.randomUUID() + "\",\"type\":\"order.completed\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"" + occurredAt + "\",\"userId\":\"" + user + "\",\"sessionId\":\"" + session + "\","
                + "\"storeId\":\"store-1\",\"payload\":{\"orderId\":\"o-1\",\"checkoutId\":\"k-1\","
                + "\"items\":[{\"productId\":\"A\",\"quantity\":2,\"unitPrice\":21.0}],\"subtotal\":42.0,\"tax\":7.98,"
                + "\"shipping\":0,\"total\":49.98,\"currency\":\"EUR\",\"paymentMethod\":\"card\"}}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.VALIDATED, session, order)).get();
        }

        Map<String, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        List<String> topics = List.of(Topics.ENRICHED, Topics.ROUTE_CHECKOUT_FUNNEL);
        topics.forEach(t -> out.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers(),
                "group.id", "it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(topics);
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.key().equals(session)) {
                        out.get(r.topic()).add(r);
                    }
                });
                return topics.stream().allMatch(t -> !out.get(t).isEmpty());
            });
        }
        JsonNode enriched = JSON.readTree(out.get(Topics.ENRICHED).get(0).value());
        assertThat(enriched.get("userId").asText()).isEqualTo(user);
        assertThat(enriched.at("/enrichment/cart/itemCount").asInt()).isEqualTo(2);
        assertThat(enriched.at("/enrichment/cart/valueEur").asDouble()).isEqualTo(42.0);
        assertThat(enriched.at("/enrichment/session/position").asLong()).isEqualTo(1);
        assertThat(enriched.at("/enrichment/meta/redisDegraded").asBoolean()).isFalse();
        assertThat(JSON.readTree(out.get(Topics.ROUTE_CHECKOUT_FUNNEL).get(0).value())).isEqualTo(enriched);

        // The Redis sink connector keeps the profile current: lastSeen and the purchase history.
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Map<String, String> profile = hgetAll(pipeline.redisUrl(), "user_profile:" + user);
            assertThat(profile).containsEntry("lastSeen", occurredAt)
                    .containsEntry("purchaseCount", "1")
                    .containsEntry("lastPurchaseAt", occurredAt);
        });
    }

    /** HGETALL over RESP, so the test needs no Redis client of its own. */
    static Map<String, String> hgetAll(String redisUrl, String key) throws IOException {
        java.net.URI uri = java.net.URI.create(redisUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.write(("*2\r\n$7\r\nHGETALL\r\n$" + k.length + "\r\n" + key + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = line(in);
            int n = Integer.parseInt(header.substring(1));
            Map<String, String> result = new HashMap<>();
            for (int i = 0; i < n / 2; i++) {
                String field = bulk(in);
                result.put(field, bulk(in));
            }
            return result;
        }
    }

    private static String bulk(InputStream in) throws IOException {
        int len = Integer.parseInt(line(in).substring(1));
        byte[] data = in.readNBytes(len + 2);
        return new String(data, 0, len, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }
}
