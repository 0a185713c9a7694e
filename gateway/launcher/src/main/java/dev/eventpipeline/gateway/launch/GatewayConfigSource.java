package dev.eventpipeline.gateway.launch;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The gateway's settings ({@code GatewayConfig} keys such as {@code dlq.retry.max.attempts}) from
 * {@code -Dpipeline.gateway.dlq.retry.max.attempts=3} or {@code PIPELINE_GATEWAY_DLQ_RETRY_MAX_ATTEMPTS=3};
 * the property wins, as for every other pipeline setting.
 */
final class GatewayConfigSource {
    static final String PROPERTY_PREFIX = "pipeline.gateway.";
    static final String ENV_PREFIX = "PIPELINE_GATEWAY_";

    private GatewayConfigSource() {
    }

    static Map<String, String> fromEnvironment() {
        return from(System.getProperties(), System.getenv());
    }

    static Map<String, String> from(Properties properties, Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX)) {
                out.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                out.put(name.substring(PROPERTY_PREFIX.length()), properties.getProperty(name));
            }
        }
        // PIPELINE_GATEWAY_PORT is the gateway's listen port (PipelineSettings), not a GatewayConfig key.
        out.remove("port");
        return out;
    }
}
