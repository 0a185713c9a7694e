package dev.eventpipeline.gateway.launch;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineSettingsTest {
    @Test
    void defaultsAreTheDocumentedPorts() {
        PipelineSettings s = PipelineSettings.from(k -> null, Map.of());
        assertThat(s.kafkaPort()).isEqualTo(9092);
        assertThat(s.controllerPort()).isEqualTo(9093);
        assertThat(s.connectPort()).isEqualTo(8083);
        assertThat(s.ingestPort()).isEqualTo(8088);
        assertThat(s.redisPort()).isEqualTo(6379);
        assertThat(s.clickHouseHttpPort()).isEqualTo(8123);
        assertThat(s.clickHouseTcpPort()).isEqualTo(9000);
        assertThat(s.gatewayPort()).isEqualTo(8080);
        assertThat(s.registryPort()).isEqualTo(8081);
        assertThat(s.workDir()).isEqualTo(Path.of("work").toAbsolutePath());
        assertThat(s.redisUrl()).isEmpty();
        assertThat(s.clickHouseUrl()).isEmpty();
        assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(s.ingestUrl()).isEqualTo("http://127.0.0.1:8088");
    }

    @Test
    void environmentOverridesDefaultsAndSystemPropertiesOverrideEnvironment() {
        Map<String, String> env = Map.of("PIPELINE_KAFKA_PORT", "19092", "PIPELINE_CONNECT_PORT", "18083",
                "PIPELINE_CLICKHOUSE_URL", "http://ch:8123");
        PipelineSettings s = PipelineSettings.from(k -> k.equals("pipeline.kafka.port") ? "29092" : null, env);
        assertThat(s.kafkaPort()).isEqualTo(29092);
        assertThat(s.connectPort()).isEqualTo(18083);
        assertThat(s.clickHouseUrl()).contains("http://ch:8123");
    }

    @Test
    void badPortsAreRejectedWithTheKeyName() {
        assertThatThrownBy(() -> PipelineSettings.from(k -> null, Map.of("PIPELINE_INGEST_PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline.ingest.port must be a port number 1-65535, got '70000'");
        assertThatThrownBy(() -> PipelineSettings.from(k -> null, Map.of("PIPELINE_REDIS_PORT", "abc")))
                .hasMessageContaining("pipeline.redis.port");
    }

    @Test
    void blankUrlsMeanStartLocally() {
        PipelineSettings s = PipelineSettings.from(k -> null, Map.of("PIPELINE_REDIS_URL", " "));
        assertThat(s.redisUrl()).isEmpty();
    }
}
