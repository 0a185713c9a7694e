package dev.eventpipeline.sink.clickhouse.config;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.contract.docs.ConfigReference;
import dev.eventpipeline.sink.clickhouse.mapping.FieldPaths;
import dev.eventpipeline.sink.clickhouse.mapping.RowMapper;
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
    public static final String TRUSTSTORE_LOCATION = "clickhouse.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "clickhouse.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "clickhouse.ssl.truststore.type";
    public static final String REQUEST_TIMEOUT_MS = "clickhouse.request.timeout.ms";

    public static final String TOPICS_TABLES = "topics.tables";
    public static final String TOPICS_TABLES_DEFAULT = Topics.RAW + ":events_raw";
    public static final String SCHEMA_APPLY = "schema.apply";
    public static final String SCHEMA_REFRESH_INTERVAL_MS = "schema.refresh.interval.ms";
    public static final String FIELDS_PATHS = "fields.paths";
    /**
     * The enrichment contract (README, "Table events_processed"): the nested fields the enrichment
     * (ksql/migrations and its embedded twin) writes, flattened into the events_processed columns.
     * ksql's FieldsPathsContractTest fails when this and the twin's enriched record disagree.
     */
    public static final String FIELDS_PATHS_DEFAULT = String.join(",",
            "enrichment.user.lastSeen:user_last_seen",
            "enrichment.user.purchaseCount:user_purchase_count",
            "enrichment.user.lifetimeValue:user_lifetime_value",
            "enrichment.user.preferences:user_preferences",
            "enrichment.user.segment:user_segment",
            "enrichment.store.timezone:store_timezone",
            "enrichment.store.localTime:store_local_time",
            "enrichment.store.openNow:store_open_now",
            "enrichment.session.position:session_position",
            "enrichment.session.startedAt:session_started_at",
            "enrichment.session.msSinceStart:ms_since_session_start",
            "enrichment.session.msSincePrevious:ms_since_previous_event",
            "enrichment.cart.itemCount:cart_item_count",
            "enrichment.cart.value:cart_value",
            "enrichment.cart.valueChange:cart_value_change",
            "enrichment.cart.currency:currency",
            "enrichment.cart.valueEur:cart_value_eur",
            "enrichment.meta.pipelineVersion:pipeline_version",
            "enrichment.meta.enrichedAt:enriched_at",
            "enrichment.meta.redisDegraded:redis_degraded");
    public static final String UNKNOWN_FIELDS = "unknown.fields";
    public static final String UNKNOWN_FIELDS_COLUMN = "unknown.fields.column";
    public static final String RETENTION_TABLES = "retention.tables";
    public static final String RETENTION_MONTHS = "retention.months";

    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String INSERT_PIPELINING = "insert.pipelining";
    public static final String INSERT_STREAMING = "insert.streaming";
    public static final String COMMIT_FLUSH = "offsets.commit.flush";
    public static final String INSERT_FORMAT = "insert.format";

    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RETRY_TIMEOUT_MS = "retry.timeout.ms";

    private static final ConfigDef CONFIG_DEF = buildConfigDef();

    private final TopicTableMapping topicTables;
    private final FieldPaths fieldPaths;

    public ClickHouseSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        try {
            this.topicTables = TopicTableMapping.parse(getList(TOPICS_TABLES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TOPICS_TABLES, getList(TOPICS_TABLES), e.getMessage());
        }
        try {
            this.fieldPaths = FieldPaths.parse(getList(FIELDS_PATHS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FIELDS_PATHS, getList(FIELDS_PATHS), e.getMessage());
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
                        GROUP_CONNECTION, ++order, Width.SHORT, "Request timeout (ms)")
                .define(TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                        "Trust store file with the CA (or server) certificates for an https:// clickhouse.url. "
                                + "Empty: the JVM's default trust store.",
                        GROUP_CONNECTION, ++order, Width.LONG, "TLS trust store")
                .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM,
                        "Password of the trust store (use a config provider).",
                        GROUP_CONNECTION, ++order, Width.SHORT, "TLS trust store password")
                .define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12", ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"),
                        Importance.LOW, "Format of the trust store file.",
                        GROUP_CONNECTION, ++order, Width.SHORT, "TLS trust store type");

        order = 0;
        def.define(TOPICS_TABLES, Type.LIST, TOPICS_TABLES_DEFAULT, new TopicTablesValidator(), Importance.HIGH,
                        "Comma-separated topic:table pairs: the ClickHouse table each consumed topic is written "
                                + "to. Every topic in 'topics' needs an entry.",
                        GROUP_TABLES, ++order, Width.LONG, "Topic to table map")
                .define(SCHEMA_APPLY, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Apply the shipped DDL (CREATE DATABASE/TABLE IF NOT EXISTS) when a task starts. Turn off "
                                + "when the tables are managed elsewhere or the user may not run DDL.",
                        GROUP_TABLES, ++order, Width.SHORT, "Apply schema")
                .define(SCHEMA_REFRESH_INTERVAL_MS, Type.LONG, 30_000L, Range.between(0, 86_400_000), Importance.LOW,
                        "How often a task re-reads each table's columns from system.columns, in milliseconds. "
                                + "A column added to a table (ALTER TABLE ... ADD COLUMN) is filled from then on, "
                                + "without a restart. 0: before every batch.",
                        GROUP_TABLES, ++order, Width.SHORT, "Column refresh interval (ms)")
                .define(FIELDS_PATHS, Type.LIST, FIELDS_PATHS_DEFAULT, new FieldPathsValidator(), Importance.MEDIUM,
                        "Comma-separated json.path:column pairs: nested event fields flattened into columns, e.g. "
                                + "enrichment.user.lastSeen:user_last_seen. A pair is used only in tables that have "
                                + "the column. Columns without a pair are filled from the top-level field of the same "
                                + "name or its camelCase form. The default is the enrichment contract of "
                                + "events_processed (README).",
                        GROUP_TABLES, ++order, Width.LONG, "Flattened field paths")
                .define(UNKNOWN_FIELDS, Type.STRING, "keep", ConfigDef.CaseInsensitiveValidString.in("keep", "ignore"),
                        Importance.MEDIUM,
                        "What happens to event fields that no column takes: 'keep' writes them as a JSON object "
                                + "into the column named by unknown.fields.column (in tables that have it); 'ignore' "
                                + "drops them (the raw column of events_raw keeps every event verbatim anyway).",
                        GROUP_TABLES, ++order, Width.SHORT, "Unknown fields")
                .define(UNKNOWN_FIELDS_COLUMN, Type.STRING, "extra", new IdentifierValidator(), Importance.LOW,
                        "Column (String) that receives the unknown fields as JSON when unknown.fields=keep.",
                        GROUP_TABLES, ++order, Width.SHORT, "Unknown fields column")
                .define(RETENTION_TABLES, Type.LIST, "events_raw", Importance.LOW,
                        "Tables whose monthly partitions older than retention.months are dropped by the task on "
                                + "ClickHouse servers without TTL (18.16); on current servers the V004 migration "
                                + "sets a TTL instead and the job does nothing. Empty: no retention job.",
                        GROUP_TABLES, ++order, Width.MEDIUM, "Retention tables")
                .define(RETENTION_MONTHS, Type.INT, 18, Range.between(1, 1200), Importance.LOW,
                        "Months of data kept in the retention tables (by the partition key, month of occurred_at).",
                        GROUP_TABLES, ++order, Width.SHORT, "Retention (months)");

        order = 0;
        def.define(BATCH_MAX_ROWS, Type.INT, 10_000, Range.between(1, 1_000_000), Importance.MEDIUM,
                        "Rows buffered before an INSERT is sent; also the largest INSERT sent. Buffered rows are "
                                + "always written before offsets are committed.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Max rows per INSERT")
                .define(BATCH_MAX_WAIT_MS, Type.LONG, 1_000L, Range.between(0, 3_600_000), Importance.MEDIUM,
                        "Longest time a row waits in the buffer before the buffer is written, in milliseconds "
                                + "(0: write on every put). The task asks the worker to call it back in time, so "
                                + "this holds even when no further records arrive.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Max buffer wait (ms)")
                .define(BATCH_MAX_BYTES, Type.LONG, 16L * 1024 * 1024, Range.between(1024, 1L << 31), Importance.LOW,
                        "Bytes of encoded rows buffered before an INSERT is sent; also the largest INSERT body "
                                + "(a single larger row is sent alone).",
                        GROUP_BATCHING, ++order, Width.SHORT, "Max bytes per INSERT")
                .define(INSERT_FORMAT, Type.STRING, "RowBinary", ConfigDef.CaseInsensitiveValidString.in("RowBinary", "JSONEachRow"),
                        Importance.LOW,
                        "Encoding of the INSERT body. 'RowBinary' (fixed-width numbers, length-prefixed strings) "
                                + "costs ClickHouse far less to parse than 'JSONEachRow'; a table with a column type "
                                + "the connector cannot encode in RowBinary (FixedString, LowCardinality, Decimal, UUID, "
                                + "Enum, DateTime64, ...) is written as JSONEachRow either way. Values are converted and "
                                + "checked the same way in both.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Insert format")
                .define(INSERT_PIPELINING, Type.BOOLEAN, false, Importance.LOW,
                        "Send each INSERT on a background thread while the task maps the next records (at most "
                                + "one INSERT in flight per task). Offsets are still committed only after ClickHouse "
                                + "acknowledged every row; rows of a failed INSERT are kept and written first. "
                                + "Raises throughput when mapping and ClickHouse's parsing can overlap.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Pipelined INSERTs")
                .define(INSERT_STREAMING, Type.BOOLEAN, false, Importance.LOW,
                        "Stream rows into an open INSERT as they are mapped (chunked HTTP body) instead of buffering "
                                + "batches: the batch.max.* limits then bound each INSERT, not the JVM's memory, so "
                                + "INSERTs of a million rows cost no more heap than a few 256 KiB chunks, and ClickHouse "
                                + "writes fewer, bigger parts. Every offset commit still ends the INSERTs and waits for "
                                + "ClickHouse. Rows are not kept: after a failed INSERT the task rewinds its consumer and "
                                + "reads the records again (a rejected INSERT's records then go through buffered, split "
                                + "batches to find the bad rows). insert.pipelining has no effect with it.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Streamed INSERTs")
                .define(COMMIT_FLUSH, Type.BOOLEAN, true, Importance.LOW,
                        "true (default): every offset commit (preCommit) first writes the buffered rows "
                                + "synchronously and then commits every consumed offset. false: an offset commit "
                                + "writes nothing and commits, per partition, only the offsets of records already in "
                                + "ClickHouse (or in the dead-letter queue); buffered and in-flight rows are "
                                + "written when their batch is due and committed at a later commit (measured slower "
                                + "in the sink benchmark so far, see the README). Either way a committed offset "
                                + "never runs ahead of ClickHouse.",
                        GROUP_BATCHING, ++order, Width.SHORT, "Write the buffer at every offset commit");

        order = 0;
        def.define(RETRY_BACKOFF_MS, Type.LONG, 500L, Range.between(0, 600_000), Importance.LOW,
                        "First pause before the worker re-delivers a batch after a retriable ClickHouse error "
                                + "(connection failure, timeout, too many parts, memory limit...), in milliseconds; "
                                + "doubled on each further failure in a row (with up to 20% jitter) up to "
                                + "retry.backoff.max.ms.",
                        GROUP_RETRIES, ++order, Width.SHORT, "Retry backoff (ms)")
                .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 10_000L, Range.between(0, 3_600_000), Importance.LOW,
                        "Longest pause between retries, in milliseconds.",
                        GROUP_RETRIES, ++order, Width.SHORT, "Max retry backoff (ms)")
                .define(RETRY_TIMEOUT_MS, Type.LONG, 900_000L, Range.between(0, Long.MAX_VALUE), Importance.MEDIUM,
                        "How long retriable errors may go on without a successful write before the task fails "
                                + "(offsets stay uncommitted, nothing is lost; restart the task when ClickHouse is "
                                + "back), in milliseconds. 0: retry forever.",
                        GROUP_RETRIES, ++order, Width.SHORT, "Retry timeout (ms)");
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

    /**
     * TLS context from the configured trust store, or null for the JVM default.
     *
     * @throws ConfigException naming the key when the file cannot be read
     */
    public javax.net.ssl.SSLContext sslContext() {
        String location = getString(TRUSTSTORE_LOCATION).trim();
        if (location.isEmpty()) {
            return null;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of(location))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance(getString(TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT));
            String password = getPassword(TRUSTSTORE_PASSWORD).value();
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new ConfigException(TRUSTSTORE_LOCATION, location, "cannot load the trust store: " + e.getMessage());
        }
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

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public Duration retryTimeout() {
        return Duration.ofMillis(getLong(RETRY_TIMEOUT_MS));
    }

    public boolean commitFlush() {
        return getBoolean(COMMIT_FLUSH);
    }

    public boolean insertPipelining() {
        return getBoolean(INSERT_PIPELINING);
    }

    public boolean insertStreaming() {
        return getBoolean(INSERT_STREAMING);
    }

    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    public Duration schemaRefreshInterval() {
        return Duration.ofMillis(getLong(SCHEMA_REFRESH_INTERVAL_MS));
    }

    public FieldPaths fieldPaths() {
        return fieldPaths;
    }

    public RowMapper.UnknownFields unknownFields() {
        return RowMapper.UnknownFields.valueOf(getString(UNKNOWN_FIELDS).toUpperCase(Locale.ROOT));
    }

    public RowMapper.InsertFormat insertFormat() {
        return RowMapper.InsertFormat.of(getString(INSERT_FORMAT));
    }

    public String unknownFieldsColumn() {
        return getString(UNKNOWN_FIELDS_COLUMN);
    }

    public List<String> retentionTables() {
        return getList(RETENTION_TABLES);
    }

    public int retentionMonths() {
        return getInt(RETENTION_MONTHS);
    }

    /** errors.tolerance=all (Connect's own key, read from the connector config): bad records go to the DLQ. */
    public boolean toleratesErrors() {
        Object value = originals().get("errors.tolerance");
        return value != null && "all".equalsIgnoreCase(value.toString().trim());
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

    static final class FieldPathsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> list = value instanceof List<?> l ? l : List.of();
            try {
                FieldPaths.parse(list.stream().map(String::valueOf).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "list of json.path:column";
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
