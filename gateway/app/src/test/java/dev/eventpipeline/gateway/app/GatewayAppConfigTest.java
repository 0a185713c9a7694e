package dev.eventpipeline.gateway.app;

import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayAppConfigTest {
    static Map<String, Object> required() {
        Map<String, Object> m = new HashMap<>();
        m.put("kafka.bootstrap.servers", "kafka:9092");
        m.put("connect.url", "http://connect:8083");
        m.put("redis.url", "redis://redis:6379");
        m.put("clickhouse.url", "http://clickhouse:8123");
        m.put("ingest.url", "http://connect:8088");
        return m;
    }

    @Test
    void defaultsListenOnAllInterfacesWithTheRegistry() {
        GatewayAppConfig c = new GatewayAppConfig(required());
        assertThat(c.getString(GatewayAppConfig.LISTENER_HOST)).isEqualTo("0.0.0.0");
        assertThat(c.getInt(GatewayAppConfig.LISTENER_PORT)).isEqualTo(8080);
        assertThat(c.getBoolean(GatewayAppConfig.REGISTRY_ENABLED)).isTrue();
        assertThat(c.getInt(GatewayAppConfig.REGISTRY_PORT)).isEqualTo(8081);
    }

    @Test
    void environmentOverridesTheFile() {
        Map<String, Object> merged = GatewayAppConfig.merge(required(), Map.of(
                "GATEWAY_CONNECT_URL", "http://other:8083", "GATEWAY_LISTENER_PORT", "9090", "UNRELATED", "x"));
        GatewayAppConfig c = new GatewayAppConfig(merged);
        assertThat(c.getString(GatewayAppConfig.CONNECT_URL)).isEqualTo("http://other:8083");
        assertThat(c.getInt(GatewayAppConfig.LISTENER_PORT)).isEqualTo(9090);
        assertThat(merged).doesNotContainKey("UNRELATED");
    }

    @Test
    void missingOrMalformedDependenciesAreRejectedByName() {
        Map<String, Object> m = required();
        m.remove("connect.url");
        assertThatThrownBy(() -> new GatewayAppConfig(m)).isInstanceOf(ConfigException.class).hasMessageContaining("connect.url");
        Map<String, Object> bad = required();
        bad.put("redis.url", "http://redis:6379");
        assertThatThrownBy(() -> new GatewayAppConfig(bad)).isInstanceOf(ConfigException.class).hasMessageContaining("redis.url");
        Map<String, Object> port = required();
        port.put("listener.port", "0");
        assertThatThrownBy(() -> new GatewayAppConfig(port)).isInstanceOf(ConfigException.class).hasMessageContaining("listener.port");
    }

    @Test
    void readmeReferenceIsCurrent() throws Exception {
        if (Boolean.getBoolean("update.config.reference")) {
            ConfigReference.write(Path.of("README.md"), GatewayAppConfig.configDef());
        }
        assertThat(ConfigReference.isCurrent(Path.of("README.md"), GatewayAppConfig.configDef()))
                .as("README.md config reference is stale; run mvn -pl gateway/app exec:java@config-reference").isTrue();
    }
}
