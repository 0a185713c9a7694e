package dev.eventpipeline.gateway.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Each transition as a JSON record on the alerts topic, keyed by alert id (so a compacted topic
 * would keep each alert's latest state). Asynchronous: an alert about Kafka itself must not block
 * the evaluation; a failed send is logged.
 */
public final class KafkaAlertPublisher implements AlertPublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaAlertPublisher.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final KafkaProducer<String, String> producer;
    private final String topic;

    public KafkaAlertPublisher(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000), new StringSerializer(), new StringSerializer());
    }

    @Override
    public void publish(Alert alert) {
        try {
            producer.send(new ProducerRecord<>(topic, alert.id(), JSON.writeValueAsString(alert)), (m, e) -> {
                if (e != null) {
                    log.warn("alert {} {} not written to {}: {}", alert.id(), alert.state(), topic, e.toString());
                }
            });
        } catch (Exception e) {
            log.warn("alert {} {} not written to {}: {}", alert.id(), alert.state(), topic, e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
