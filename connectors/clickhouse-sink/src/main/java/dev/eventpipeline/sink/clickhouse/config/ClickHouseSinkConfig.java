package dev.eventpipeline.sink.clickhouse.config;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Configuration of the ClickHouse sink connector and its tasks: one {@link ConfigDef}, in groups. */
public final class ClickHouseSinkConfig extends AbstractConfig {

    public static final String GROUP_CONNECTION = "Connection";
    public static final String GROUP_TABLES = "Tables";
    public static final String GROUP_BATCHING = "Batching";
    public static final String GROUP_RETRIES = "Retries";

    public static final String URL = "clickhouse.url";
    public static final String URL_DEFAULT = "http://127.0.0.1:8123";
    public static final String USER = "clickhouse.user";
    public static final String PASSWORD = "clickhouse.password";
    public static final String DATABASE = "clickhouse.database";
    public static final String DATABASE_DEFAULT = "event_pipeline";
    public static final String CONNECT_TIMEOUT_MS = "clickhouse.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "clickhouse.request.timeout.ms";

    public static final String TOPICS_TABLES = "topics.tables";
    public static final String TOPICS_TABLES_DEFAULT = Topics.RAW + ":events_raw";
    public static final String SCHEMA_APPLY = "schema.apply";

    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";

    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    private static final ConfigDef CONFIG_DEF = buildConfigDef();

    private final TopicTableMapping topicTables;

    public ClickHouseSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        try {
            this.topicTables = TopicTableMapping.parse(getList(TOPICS_TABLES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TOPICS_TABLES, getList(TOPICS_TABLES), e.getMessage());
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef buildConfigDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(URL, Type.STRING, URL_DEFAULT, new HttpUrlValidator(), Importance.HIGH,
                        "Base URL of ClickHouse's HTTP interface, e.g. http://clickhouse:8123 (a path prefix is "
                                + "kept for servers behind a proxy). Responses are never compressed: ClickHouse 18.16 "
                                + "answers compress=1 with empty bodies.",
                        GROUP_CONNECTION, ++order, Width.LONG, "ClickHouse URL")
                .define(USER, Type.STRING, "default", ConfigDef.NonEmptyStringWithoutControlChars.nonEmptyStringWithoutControlChars(),
                        Importance.HIGH,
                        "ClickHouse user, sent in the X-ClickHouse-User header.",
                        GROUP_CONNECTION, ++order, Width.SHORT, "User")
                .define(PASSWORD, Type.PASSWORD, "", Importance.HIGH,
                        "Password of the ClickHouse user, sent in the X-ClickHouse-Key header. Use a config "
                                + "provider (e.g. ${env:CLICKHOUSE_PASSWORD}) rather than a literal.",
                        GROUP_CONNECTION, ++order, Width.SHORT, "Password")
                .define(DATABASE, Type.STRING, DATABASE_DEFAULT, new IdentifierValidator(), Importance.HIGH,
                        "Database holding the tables; created by schema.apply if missing.",
                        GROUP_CONNECTION, ++order, Width.MEDIUM, "Database")
                .define(CONNECT_TIMEOUT_MS, Type.INT, 5_000, Range.between(100, 300_000), Importance.LOW,
                        "Timeout for opening a TCP connection to ClickHouse, in milliseconds. Exceeding it is a "
                                + "retriable error.",
                        GROUP_CONNECTION, ++order, Width.SHORT, "Connect timeout (ms)")
                .define(REQUEST_TIMEOUT_MS, Type.INT, 60_000, Range.between(100, 3_600_000), Importance.MEDIUM,
                        "Timeout for one HTTP request (one INSERT batch or DDL statement) from sending to the "
                                + "full response, in milliseconds. Exceeding it is a retriable error; the batch is "
                                + "written again, and duplicates collapse after merges.",
                        GROUP_CONNECTION, ++order, Width.SHORT, "Request timeout (ms)");

        order = 0;
        def.define(TOPICS_TABLES, Type.LIST, TOPICS_TABLES_DEFAULT, new TopicTablesValidator(), Importance.HIGH,
                        "Comma-separated topic:table pairs: the ClickHouse table each consumed topic is written "
                                + "to. Every topic in 'topics' needs an entry.",
                        GROUP_TABLES, ++order, Width.LONG, "Topic to table map")
                .define(SCHEMA_APPLY, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Apply the shipped DDL (CREATE DATABASE/TABLE IF NOT EXISTS) when a task starts. Turn off "
                                + "when the tables are managed elsewhere or the user may not run DDL.",
                        GROUP_TABLES, ++order, Width.SHORT, "Apply schema");

        order = 0;
        def.define(BATCH_MAX_ROWS, Type.INT, 10_000, Range.between(1, 1_000_000), Importance.MEDIUM,
                        "Rows buffered before an INSERT is sent; also the largest INSERT sent. Buffered rows are "
                                + "always written before offsets are committed.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Max rows per INSERT")
                .define(BATCH_MAX_WAIT_MS, Type.LONG, 1_000L, Range.between(0, 3_600_000), Importance.MEDIUM,
                        "Longest time a row waits in the buffer before the buffer is written, in milliseconds "
                                + "(0: write on every put). The task asks the worker to call it back in time, so "
                                + "this holds even when no further records arrive.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Max buffer wait (ms)");

        order = 0;
        def.define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, Range.between(0, 600_000), Importance.LOW,
                        "Pause before the worker re-delivers a batch after a retriable ClickHouse error "
                                + "(connection failure, timeout, too many parts, memory limit...), in milliseconds. "
                                + "Fixed, not exponential; retries are unbounded.",
                        GROUP_RETRIES, ++order, Width.SHORT, "Retry backoff (ms)");
        return def;
    }

    public URI url() {
        return URI.create(stripTrailingSlash(getString(URL).trim()));
    }

    public String user() {
        return getString(USER);
    }

    public Password password() {
        return getPassword(PASSWORD);
    }

    public String database() {
        return getString(DATABASE);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS));
    }

    public TopicTableMapping topicTables() {
        return topicTables;
    }

    public boolean schemaApply() {
        return getBoolean(SCHEMA_APPLY);
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    public Duration batchMaxWait() {
        return Duration.ofMillis(getLong(BATCH_MAX_WAIT_MS));
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS));
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Rewrites the configuration reference in the module README:
     * {@code mvn -pl connectors/clickhouse-sink exec:java@config-reference}, or run this class with
     * the README path as argument (default {@code README.md} in the working directory).
     */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        ConfigReference.write(readme, configDef());
        System.out.println("wrote configuration reference to " + readme.toAbsolutePath());
    }

    /** http(s) URL with a host; no query string or fragment (settings are the connector's business). */
    static final class HttpUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            String problem = problem(text);
            if (problem != null) {
                throw new ConfigException(name, value, problem + "; expected e.g. " + URL_DEFAULT);
            }
        }

        private static String problem(String text) {
            if (text.isEmpty()) {
                return "must not be empty";
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                return "is not a URL (" + e.getMessage() + ")";
            }
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                return "must start with http:// or https:// (ClickHouse's HTTP interface, not the native "
                        + "protocol or jdbc:)";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "has no host name";
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return "must not have a query string or fragment";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not contain credentials; use " + USER + " and " + PASSWORD;
            }
            return null;
        }

        @Override
        public String toString() {
            return "http[s]://host[:port][/path]";
        }
    }

    static final class IdentifierValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (!Identifiers.isValid(value == null ? null : value.toString())) {
                throw new ConfigException(name, value, "must be a plain ClickHouse identifier: " + Identifiers.RULE);
            }
        }

        @Override
        public String toString() {
            return "[A-Za-z_][A-Za-z0-9_]*";
        }
    }

    static final class TopicTablesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = value instanceof List<?> l ? l : List.of();
            try {
                TopicTableMapping.parse(list.stream().map(String::valueOf).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "list of topic:table";
        }
    }
}
