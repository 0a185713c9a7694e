package dev.eventpipeline.ingest.config;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventSourceConfigTest {

    @Test
    void defaults() {
        EventSourceConfig config = new EventSourceConfig(Map.of());
        assertThat(config.listenerHost()).isEqualTo("0.0.0.0");
        assertThat(config.listenerPort()).isEqualTo(8088);
        assertThat(config.topic()).isEqualTo(Topics.RAW);
        assertThat(config.maxEventBytes()).isEqualTo(32_768);
        assertThat(config.maxRequestBytes()).isEqualTo(512_000);
        assertThat(config.queueCapacity()).isEqualTo(20_000);
        assertThat(config.pollMaxRecords()).isEqualTo(2_000);
        assertThat(config.maxBatchEvents()).isEqualTo(1_000);
        assertThat(config.apiKeys()).isEmpty();
        assertThat(config.tlsEnabled()).isFalse();
        assertThat(config.dlqTopic()).isEqualTo(Topics.DLQ);
        assertThat(config.ackTimeoutMs()).isEqualTo(30_000L);
    }

    @Test
    void typedAccessorsReadTheGivenValues() {
        EventSourceConfig config = new EventSourceConfig(Map.of(
                "listener.host", "127.0.0.1", "listener.port", "0", "topic", "my.events_1",
                "max.event.bytes", "1000", "max.request.bytes", "2000", "queue.capacity", "5",
                "max.batch.events", "5", "auth.api.keys", "key-one-0123456789, key-two-0123456789", "poll.max.records", "7", "ack.timeout.ms", "1500"));
        assertThat(config.listenerHost()).isEqualTo("127.0.0.1");
        assertThat(config.listenerPort()).isZero();
        assertThat(config.topic()).isEqualTo("my.events_1");
        assertThat(config.maxEventBytes()).isEqualTo(1000);
        assertThat(config.maxRequestBytes()).isEqualTo(2000);
        assertThat(config.queueCapacity()).isEqualTo(5);
        assertThat(config.apiKeys()).containsExactly("key-one-0123456789", "key-two-0123456789");
        assertThat(config.pollMaxRecords()).isEqualTo(7);
        assertThat(config.ackTimeoutMs()).isEqualTo(1500L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "listener.host; ' '; must be a host name or IP address",
            "listener.host; http://0.0.0.0; no scheme, port or path",
            "listener.port; 70000; Value must be no more than 65535",
            "listener.port; -1; Value must be at least 0",
            "listener.port; eighty; Not a number of type INT",
            "topic; bad topic; not a legal Kafka topic name",
            "topic; ..; not a legal Kafka topic name",
            "max.event.bytes; 10; Value must be at least 256",
            "max.request.bytes; 0; Value must be at least 256",
            "queue.capacity; 0; Value must be at least 1",
            "max.batch.events; 0; Value must be at least 1",
            "auth.api.keys; short; key #1 must be at least 16",
            "ws.max.inflight.per.connection; 0; Value must be at least 1",
            "ws.idle.timeout.ms; 5; Value must be at least 1000",
            "tls.keystore.type; PEM; String must be one of: PKCS12, JKS",
            "dlq.topic; a b; not a legal Kafka topic name",
            "ack.invalid.reason.resolver.class; java.lang.String; must be a class implementing",
            "poll.max.records; 0; Value must be at least 1",
            "ack.timeout.ms; 10; Value must be at least 100",
    })
    void badValueNamesTheKeyAndTheRule(String key, String value, String message) {
        assertThatThrownBy(() -> new EventSourceConfig(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(message);
    }

    @Test
    void eventLimitAboveRequestLimitIsRejected() {
        assertThatThrownBy(() -> new EventSourceConfig(Map.of("max.event.bytes", "4096", "max.request.bytes", "2048")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.event.bytes (4096) must not exceed max.request.bytes (2048)");
        assertThat(EventSourceConfig.crossCheck(2048, 2048)).isEmpty();
    }

    @Test
    void everyKeyHasAValidatorDocumentationAndAGroup() {
        EventSourceConfig.configDef().configKeys().values().forEach(key -> {
            assertThat(key.validator).as(key.name + " validator").isNotNull();
            assertThat(key.documentation).as(key.name + " documentation").isNotBlank();
            assertThat(key.group).as(key.name + " group").isIn("Listener", "Topics", "Limits", "WebSocket", "Security", "Acknowledgements", "Hooks");
            assertThat(key.name).as("dotted lower-case").matches("[a-z]+(\\.[a-z]+)*");
        });
        assertThat(EventSourceConfig.configDef().groups()).containsExactly("Listener", "Topics", "Limits", "WebSocket", "Security", "Acknowledgements", "Hooks");
    }

    @Test
    void readmeReferenceIsCurrent() throws Exception {
        assertThat(ConfigReference.isCurrent(Path.of("README.md"), EventSourceConfig.configDef()))
                .as("README.md config reference is stale; regenerate it with the command in README.md")
                .isTrue();
    }
}
