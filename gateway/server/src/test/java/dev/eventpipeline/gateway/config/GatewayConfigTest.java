package dev.eventpipeline.gateway.config;

import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigTest {
    @Test
    void readmeReferenceIsCurrent() throws Exception {
        // Refresh: java -cp <server classpath> dev.eventpipeline.gateway.config.GatewayConfig, or ConfigReference.main.
        assertThat(ConfigReference.isCurrent(Path.of("../README.md"), GatewayConfig.CONFIG_DEF))
                .as("gateway/README.md config reference is stale; regenerate it from GatewayConfig.CONFIG_DEF").isTrue();
    }

    @Test
    void retryPolicyFromKeysAndValidation() {
        RetryPolicy p = new GatewayConfig(Map.of("dlq.retry.max.attempts", "2", "dlq.retry.backoff.initial.ms", "500")).retryPolicy();
        assertThat(p.maxAttempts()).isEqualTo(2);
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(2000));
        assertThatThrownBy(() -> new GatewayConfig(Map.of("dlq.retry.max.attempts", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dlq.retry.max.attempts");
    }
}
