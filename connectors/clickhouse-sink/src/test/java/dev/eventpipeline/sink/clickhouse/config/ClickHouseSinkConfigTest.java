package dev.eventpipeline.sink.clickhouse.config;

import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseSinkConfigTest {

    @Test
    void defaults() {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of());

        assertThat(config.url().toString()).isEqualTo("http://127.0.0.1:8123");
        assertThat(config.user()).isEqualTo("default");
        assertThat(config.password().value()).isEmpty();
        assertThat(config.database()).isEqualTo("event_pipeline");
        assertThat(config.topicTables().asMap()).containsExactly(Map.entry("cart-events-raw", "events_raw"));
        assertThat(config.schemaApply()).isTrue();
        assertThat(config.batchMaxRows()).isEqualTo(10_000);
        assertThat(config.batchMaxWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retryTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.batchMaxBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.schemaRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.fieldPaths().pathFor("user_last_seen")).containsExactly("enrichment", "user", "lastSeen");
        assertThat(config.unknownFields()).isEqualTo(dev.eventpipeline.sink.clickhouse.mapping.RowMapper.UnknownFields.KEEP);
        assertThat(config.unknownFieldsColumn()).isEqualTo("extra");
        assertThat(config.retentionTables()).containsExactly("events_raw");
        assertThat(config.retentionMonths()).isEqualTo(18);
        assertThat(config.toleratesErrors()).isFalse();
    }

    @Test
    void malformedFieldPathsAreRejectedWithTheEntry() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("fields.paths", "a.b")))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("a.b").hasMessageContaining("json.path:column");
        assertThat(new ClickHouseSinkConfig(Map.of("errors.tolerance", "all")).toleratesErrors()).isTrue();
    }

    @Test
    void typedAccessors() {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of(
                "clickhouse.url", "https://ch.example:8443/proxy/",
                "clickhouse.user", "writer",
                "clickhouse.password", "s3cret",
                "clickhouse.database", "analytics",
                "topics.tables", "a:t1, b:t2",
                "schema.apply", "false",
                "batch.max.rows", "5",
                "batch.max.wait.ms", "0",
                "clickhouse.request.timeout.ms", "1500",
                "retry.backoff.ms", "250"));

        assertThat(config.url().toString()).isEqualTo("https://ch.example:8443/proxy");
        assertThat(config.user()).isEqualTo("writer");
        assertThat(config.password().value()).isEqualTo("s3cret");
        assertThat(config.password().toString()).doesNotContain("s3cret");
        assertThat(config.database()).isEqualTo("analytics");
        assertThat(config.topicTables().asMap()).containsExactly(Map.entry("a", "t1"), Map.entry("b", "t2"));
        assertThat(config.schemaApply()).isFalse();
        assertThat(config.batchMaxRows()).isEqualTo(5);
        assertThat(config.batchMaxWait()).isZero();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost:8123                 | must start with http:// or https://",
            "jdbc:clickhouse://h:8123       | must start with http:// or https://",
            "http://                        | not a URL",
            "http:///path                   | has no host name",
            "http://h:8123/?database=x      | must not have a query string",
            "http://u:p@h:8123              | must not contain credentials",
            "http://h 8123                  | is not a URL",
    })
    void rejectsBadUrlsWithAReason(String url, String reason) {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("clickhouse.url", url)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clickhouse.url")
                .hasMessageContaining(reason)
                .hasMessageContaining("expected e.g. http://127.0.0.1:8123");
    }

    @Test
    void rejectsEmptyUrl() {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("clickhouse.url", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not be empty");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cart-events-raw                    | exactly one ':'",
            "cart-events-raw:events_raw:x       | exactly one ':'",
            "cart-events-raw:events-raw         | 'events-raw' is not a valid table name",
            ":events_raw                        | '' is not a valid Kafka topic name",
            "bad topic:events_raw               | 'bad topic' is not a valid Kafka topic name",
            "cart-events-raw:1table             | not a valid table name",
    })
    void rejectsMalformedTopicTableEntries(String entry, String reason) {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("topics.tables", entry)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.tables")
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsATopicMappedTwice() {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("topics.tables", "a:t1,a:t2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic 'a' is mapped twice");
    }

    @Test
    void rejectsDatabaseNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("clickhouse.database", "x`; DROP TABLE y")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clickhouse.database")
                .hasMessageContaining("plain ClickHouse identifier");
    }

    @Test
    void rejectsOutOfRangeNumbers() {
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("batch.max.rows", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch.max.rows");
        assertThatThrownBy(() -> new ClickHouseSinkConfig(Map.of("batch.max.rows", "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch.max.rows");
    }

    @Test
    void validateReportsEveryProblemPerKey() {
        List<ConfigValue> values = ClickHouseSinkConfig.configDef().validate(Map.of(
                "clickhouse.url", "ftp://h",
                "topics.tables", "nocolon"));

        assertThat(errors(values, "clickhouse.url")).singleElement().asString().contains("http:// or https://");
        assertThat(errors(values, "topics.tables")).singleElement().asString().contains("topic:table");
        assertThat(errors(values, "clickhouse.database")).isEmpty();
    }

    @Test
    void definesKeysInGroups() {
        ConfigDef def = ClickHouseSinkConfig.configDef();

        assertThat(def.groups()).containsExactly("Connection", "Tables", "Batching", "Retries");
        assertThat(def.configKeys().get("clickhouse.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.names()).allMatch(name -> name.matches("[a-z.]+"));
    }

    @Test
    void readmeConfigReferenceIsCurrent() throws Exception {
        assertThat(ConfigReference.isCurrent(Path.of("README.md"), ClickHouseSinkConfig.configDef()))
                .as("README.md config reference is stale: run "
                        + "mvn -pl connectors/clickhouse-sink compile exec:java@config-reference")
                .isTrue();
    }

    private static List<String> errors(List<ConfigValue> values, String name) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().errorMessages();
    }
}
