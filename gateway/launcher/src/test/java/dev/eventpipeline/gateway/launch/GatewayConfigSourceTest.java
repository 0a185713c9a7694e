package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayConfigSourceTest {
    @Test
    void propertiesWinOverEnvironmentAndTheListenPortIsNotAConfigKey() {
        Properties props = new Properties();
        props.setProperty("pipeline.gateway.dlq.retry.max.attempts", "3");
        props.setProperty("pipeline.kafka.port", "19092");
        Map<String, String> env = Map.of("PIPELINE_GATEWAY_DLQ_RETRY_MAX_ATTEMPTS", "9",
                "PIPELINE_GATEWAY_ALERTS_WEBHOOK_URL", "http://127.0.0.1:9999/hook", "PIPELINE_GATEWAY_PORT", "8080");
        Map<String, String> config = GatewayConfigSource.from(props, env);
        assertThat(config).containsExactlyInAnyOrderEntriesOf(Map.of("dlq.retry.max.attempts", "3",
                "alerts.webhook.url", "http://127.0.0.1:9999/hook"));
        GatewayConfig parsed = new GatewayConfig(config);
        assertThat(parsed.retryPolicy().maxAttempts()).isEqualTo(3);
        assertThat(parsed.webhookUrl()).contains("http://127.0.0.1:9999/hook");
    }
}
