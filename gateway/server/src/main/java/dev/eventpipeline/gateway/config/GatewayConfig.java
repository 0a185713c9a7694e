package dev.eventpipeline.gateway.config;

import dev.eventpipeline.gateway.alert.AlertRules;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.time.Duration;
import java.util.Map;

/**
 * The gateway's tunables, Kafka style: one {@link ConfigDef} in groups, validated at start. The
 * launcher fills it from {@code -Dpipeline.gateway.<key>} properties or {@code PIPELINE_GATEWAY_<KEY>}
 * environment variables; the reference in gateway/README.md is generated from {@link #CONFIG_DEF}
 * and checked by a test.
 */
public final class GatewayConfig extends AbstractConfig {
    static final String GROUP_RETRY = "Dead-letter retry";

    public static final String RETRY_ENABLED = "dlq.retry.enabled";
    public static final String RETRY_MAX_ATTEMPTS = "dlq.retry.max.attempts";
    public static final String RETRY_BACKOFF_INITIAL_MS = "dlq.retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "dlq.retry.backoff.max.ms";
    public static final String RETRY_BACKOFF_MULTIPLIER = "dlq.retry.backoff.multiplier";

    static final String GROUP_ALERTS = "Alerts";
    public static final String ALERTS_ENABLED = "alerts.enabled";
    public static final String ALERTS_INTERVAL_MS = "alerts.evaluation.interval.ms";
    public static final String ALERTS_DLQ_RATE = "alerts.dlq.rate.per.minute";
    public static final String ALERTS_LAG_RECORDS = "alerts.lag.records";
    public static final String ALERTS_LAG_GROWING_MINUTES = "alerts.lag.growing.minutes";
    public static final String ALERTS_CONNECTOR_FAILED = "alerts.connector.failed";
    public static final String ALERTS_DEPENDENCY_DOWN = "alerts.dependency.down";
    public static final String ALERTS_TOPIC = "alerts.topic";
    public static final String ALERTS_WEBHOOK_URL = "alerts.webhook.url";

    /** Empty, or an absolute http(s) URL. */
    static final ConfigDef.Validator WEBHOOK_URL = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            if (!s.isEmpty() && !s.matches("https?://[^\\s/]+.*")) {
                throw new org.apache.kafka.common.config.ConfigException(name, value, "must be empty or an http(s) URL");
            }
        }

        @Override
        public String toString() {
            return "empty or an http(s) URL";
        }
    };

    static final String GROUP_METRICS = "Metrics";
    public static final String CLICKHOUSE_DATABASE = "metrics.clickhouse.database";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(RETRY_ENABLED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "Retry transient dead letters (downstream timeouts, unavailable servers) automatically by putting them back on their source topic.",
                    GROUP_RETRY, 1, ConfigDef.Width.SHORT, "Retry enabled")
            .define(RETRY_MAX_ATTEMPTS, ConfigDef.Type.INT, 5, ConfigDef.Range.between(0, 100), ConfigDef.Importance.HIGH,
                    "Retry budget per record: after this many attempts a record that failed again is parked (classification 'parked' in /v1/deadletters) and waits for a human. 0 parks every transient record at once.",
                    GROUP_RETRY, 2, ConfigDef.Width.SHORT, "Max attempts")
            .define(RETRY_BACKOFF_INITIAL_MS, ConfigDef.Type.LONG, 1_000L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "Wait before the first retry, counted from the dead letter's timestamp.",
                    GROUP_RETRY, 3, ConfigDef.Width.SHORT, "Initial backoff")
            .define(RETRY_BACKOFF_MAX_MS, ConfigDef.Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "Longest wait between attempts.",
                    GROUP_RETRY, 4, ConfigDef.Width.SHORT, "Max backoff")
            .define(RETRY_BACKOFF_MULTIPLIER, ConfigDef.Type.DOUBLE, 4.0, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
                    "Each attempt waits this many times longer than the previous one (1 = constant backoff).",
                    GROUP_RETRY, 5, ConfigDef.Width.SHORT, "Backoff multiplier")
            .define(ALERTS_ENABLED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "Evaluate the alert rules below. An alert fires when its condition appears and resolves by itself when it clears; both go to the log, the alerts topic and the webhook.",
                    GROUP_ALERTS, 1, ConfigDef.Width.SHORT, "Alerts enabled")
            .define(ALERTS_INTERVAL_MS, ConfigDef.Type.LONG, 5_000L, ConfigDef.Range.between(200, 300_000), ConfigDef.Importance.MEDIUM,
                    "How often the rules are evaluated (also the refresh of the status-derived metrics).",
                    GROUP_ALERTS, 2, ConfigDef.Width.SHORT, "Evaluation interval")
            .define(ALERTS_DLQ_RATE, ConfigDef.Type.DOUBLE, 10.0, ConfigDef.Importance.HIGH,
                    "Rule dlq-rate: fire when more dead letters than this arrived in the last minute. Negative: off.",
                    GROUP_ALERTS, 3, ConfigDef.Width.SHORT, "DLQ rate threshold")
            .define(ALERTS_LAG_RECORDS, ConfigDef.Type.LONG, 10_000L, ConfigDef.Importance.HIGH,
                    "Rule lag-above: fire when a Connect sink group is more than this many records behind on a topic. Negative: off.",
                    GROUP_ALERTS, 4, ConfigDef.Width.SHORT, "Lag threshold")
            .define(ALERTS_LAG_GROWING_MINUTES, ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "Rule lag-growing: fire when a group's total lag grew at every evaluation for this many minutes (a stuck or too slow consumer). 0: off.",
                    GROUP_ALERTS, 5, ConfigDef.Width.SHORT, "Lag growing for")
            .define(ALERTS_CONNECTOR_FAILED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "Rule connector-failed: fire when a connector or one of its tasks is FAILED (the message carries the trace's first line).",
                    GROUP_ALERTS, 6, ConfigDef.Width.SHORT, "Connector failed")
            .define(ALERTS_DEPENDENCY_DOWN, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "Rule dependency-down: fire when Kafka, Connect, Redis or ClickHouse does not answer its health probe.",
                    GROUP_ALERTS, 7, ConfigDef.Width.SHORT, "Dependency down")
            .define(ALERTS_TOPIC, ConfigDef.Type.STRING, dev.eventpipeline.contract.Topics.ALERTS, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.MEDIUM, "Topic alert transitions are written to (key: alert id; value: the alert as JSON).",
                    GROUP_ALERTS, 8, ConfigDef.Width.MEDIUM, "Alerts topic")
            .define(ALERTS_WEBHOOK_URL, ConfigDef.Type.STRING, "", WEBHOOK_URL, ConfigDef.Importance.MEDIUM,
                    "Optional webhook: each transition is POSTed there as JSON (best effort; failures are logged).",
                    GROUP_ALERTS, 9, ConfigDef.Width.LONG, "Webhook URL")
            .define(CLICKHOUSE_DATABASE, ConfigDef.Type.STRING, "event_pipeline", new ConfigDef.NonEmptyString(), ConfigDef.Importance.LOW,
                    "ClickHouse database of events_raw, read for the end-to-end latency histogram (received_at to inserted_at of each new row).",
                    GROUP_METRICS, 1, ConfigDef.Width.MEDIUM, "ClickHouse database");

    public GatewayConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(Map.of());
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(getBoolean(RETRY_ENABLED), getInt(RETRY_MAX_ATTEMPTS),
                Duration.ofMillis(getLong(RETRY_BACKOFF_INITIAL_MS)), Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS)),
                getDouble(RETRY_BACKOFF_MULTIPLIER));
    }

    public String clickHouseDatabase() {
        return getString(CLICKHOUSE_DATABASE);
    }

    public boolean alertsEnabled() {
        return getBoolean(ALERTS_ENABLED);
    }

    public Duration alertInterval() {
        return Duration.ofMillis(getLong(ALERTS_INTERVAL_MS));
    }

    public AlertRules.Thresholds alertThresholds() {
        return new AlertRules.Thresholds(getDouble(ALERTS_DLQ_RATE), getLong(ALERTS_LAG_RECORDS),
                Duration.ofMinutes(getInt(ALERTS_LAG_GROWING_MINUTES)), getBoolean(ALERTS_CONNECTOR_FAILED),
                getBoolean(ALERTS_DEPENDENCY_DOWN));
    }

    public String alertsTopic() {
        return getString(ALERTS_TOPIC);
    }

    public java.util.Optional<String> webhookUrl() {
        return java.util.Optional.of(getString(ALERTS_WEBHOOK_URL).trim()).filter(s -> !s.isEmpty());
    }

    /** Rewrites the reference section of the README given as the argument (gateway/README.md). */
    public static void main(String[] args) throws java.io.IOException {
        dev.eventpipeline.contract.docs.ConfigReference.write(java.nio.file.Path.of(args[0]), CONFIG_DEF);
    }
}
