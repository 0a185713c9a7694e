package dev.eventpipeline.embedded.kafka;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.connect.ConnectWorker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class KafkaBrokerIT {

    @Test
    void brokerKeepsDataAcrossRestartAndConnectWorkerStartsOnIt(@TempDir Path dir) throws Exception {
        int port = PortCheck.freePort();
        int controller = PortCheck.freePort();
        RecordMetadata written;
        try (KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", port, controller)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                    new StringSerializer(), new StringSerializer())) {
                written = producer.send(new ProducerRecord<>("t", "k", "v")).get();
            }
        }
        String clusterId = Files.readString(dir.resolve("logs/meta.properties"));

        try (KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", port, controller)) {
            assertThat(Files.readString(dir.resolve("logs/meta.properties"))).isEqualTo(clusterId);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "group.id", "g", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                long deadline = System.currentTimeMillis() + 15_000;
                while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                    records = consumer.poll(Duration.ofMillis(200));
                }
                assertThat(records.count()).isEqualTo(1);
                assertThat(records.iterator().next().offset()).isEqualTo(written.offset());
                assertThat(records.iterator().next().value()).isEqualTo("v");
            }

            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            int restPort = PortCheck.freePort();
            try (ConnectWorker worker = ConnectWorker.start(broker.bootstrapServers(), "127.0.0.1", restPort, plugins,
                    Map.of(), Duration.ofSeconds(60))) {
                HttpResponse<String> resp = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(worker.restUrl() + "/connectors")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).isEqualTo(200);
                assertThat(resp.body()).isEqualTo("[]");
            }
        }
    }
}
