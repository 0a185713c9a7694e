package dev.eventpipeline.sink.clickhouse;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseSinkConnectorTest {
    private final ClickHouseSinkConnector connector = new ClickHouseSinkConnector();

    @Test
    void versionComesFromTheBuild() {
        assertThat(connector.version()).isEqualTo(Version.get()).isNotEqualTo("unknown");
    }

    @Test
    void everyTaskGetsTheConnectorConfig() {
        Map<String, String> props = Map.of("topics", "cart-events-raw", "clickhouse.url", "http://ch:8123");
        connector.start(props);

        List<Map<String, String>> configs = connector.taskConfigs(3);

        assertThat(configs).hasSize(3).allSatisfy(c -> assertThat(c).isEqualTo(props));
        assertThat(connector.taskClass()).isEqualTo(ClickHouseSinkTask.class);
    }

    @Test
    void startRejectsInvalidConfig() {
        assertThatThrownBy(() -> connector.start(Map.of("clickhouse.url", "ch:8123")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clickhouse.url");
    }

    @Test
    void validateGivesUsefulMessages() {
        Config config = connector.validate(Map.of(
                "connector.class", ClickHouseSinkConnector.class.getName(),
                "topics", "cart-events-raw",
                "clickhouse.url", "localhost:8123",
                "topics.tables", "cart-events-raw=events_raw"));

        assertThat(errors(config, "clickhouse.url")).singleElement().asString()
                .contains("must start with http:// or https://");
        assertThat(errors(config, "topics.tables")).singleElement().asString()
                .contains("entry 'cart-events-raw=events_raw' must have the form topic:table");
    }

    @Test
    void validateFlagsTopicsWithoutATable() {
        Config config = connector.validate(Map.of(
                "topics", "cart-events-raw, cart-events-validated",
                "topics.tables", "cart-events-raw:events_raw"));

        assertThat(errors(config, "topics.tables")).singleElement().asString()
                .contains("topic 'cart-events-validated' (listed in topics) has no table");
        assertThat(errors(config, "clickhouse.url")).isEmpty();
    }

    @Test
    void validateAcceptsTheDefaults() {
        Config config = connector.validate(Map.of("topics", "cart-events-raw"));

        assertThat(config.configValues()).allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
    }

    private static List<String> errors(Config config, String name) {
        return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst()
                .map(ConfigValue::errorMessages).orElseThrow();
    }
}
