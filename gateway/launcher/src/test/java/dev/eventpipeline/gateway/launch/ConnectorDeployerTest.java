package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectorDeployerTest {
    final ConnectorDeployer deployer = new ConnectorDeployer("http://unused", Map.of("CLICKHOUSE_URL", "http://127.0.0.1:8123",
            "INGEST_PORT", "8088"));

    @Test
    void substitutesKnownEnvPlaceholdersAndLeavesOthersForConnect() {
        assertThat(deployer.substitute("${env:CLICKHOUSE_URL}")).isEqualTo("http://127.0.0.1:8123");
        assertThat(deployer.substitute("port=${env:INGEST_PORT};x=${env:INGEST_PORT}")).isEqualTo("port=8088;x=8088");
        assertThat(deployer.substitute("${env:UNKNOWN}")).isEqualTo("${env:UNKNOWN}");
        assertThat(deployer.substitute("${file:/etc/secrets:key}")).isEqualTo("${file:/etc/secrets:key}");
        assertThat(deployer.substitute("plain $ value")).isEqualTo("plain $ value");
    }

    @Test
    void resolvedConfigHasOnlyStringValues() throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(
                "{\"tasks.max\": 1, \"clickhouse.url\": \"${env:CLICKHOUSE_URL}\", \"flag\": true}");
        ObjectNode resolved = deployer.resolve(config);
        assertThat(resolved.get("tasks.max").isTextual()).isTrue();
        assertThat(resolved.get("tasks.max").asText()).isEqualTo("1");
        assertThat(resolved.get("flag").asText()).isEqualTo("true");
        assertThat(resolved.get("clickhouse.url").asText()).isEqualTo("http://127.0.0.1:8123");
    }
}
