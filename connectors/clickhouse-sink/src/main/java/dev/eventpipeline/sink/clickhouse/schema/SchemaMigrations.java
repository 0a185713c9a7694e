package dev.eventpipeline.sink.clickhouse.schema;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.config.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The DDL shipped with the connector, as versioned SQL resources under
 * {@code clickhouse/migrations/} (applied in the order of {@link #FILES}). Every statement is
 * idempotent ({@code IF NOT EXISTS}), so applying them at every task start is safe; an applied file
 * is never edited, a change is a new file. {@code ${database}} in a file is replaced by the
 * configured database name.
 */
public final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    static final String DIRECTORY = "clickhouse/migrations/";
    /** In order of application. A unit test checks this matches the resource directory. */
    public static final List<String> FILES = List.of("V001__events_raw.sql", "V002__events_processed.sql",
            "V003__events_errors.sql", "V004__events_raw_ttl.sql");
    private static final Pattern MIN_VERSION = Pattern.compile("--\\s*min-server-version:\\s*([0-9.]+)");
    private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(?:\\R|$)");
    static final String DATABASE_PLACEHOLDER = "${database}";

    private final String database;

    public SchemaMigrations(String database) {
        if (!Identifiers.isValid(database)) {
            throw new IllegalArgumentException("not a plain identifier: " + database);
        }
        this.database = database;
    }

    /** All statements of all files, placeholders replaced, in order. */
    public List<Statement> statements() {
        List<Statement> all = new ArrayList<>();
        for (String file : FILES) {
            List<String> parts = split(read(file));
            for (int i = 0; i < parts.size(); i++) {
                all.add(new Statement(file, i + 1, parts.get(i).replace(DATABASE_PLACEHOLDER, database)));
            }
        }
        return all;
    }

    /** Statements of the files meant for a server of this version (files with a newer min-server-version are left out). */
    public List<Statement> statements(String serverVersion) {
        List<Statement> all = new ArrayList<>();
        for (Statement statement : statements()) {
            String min = minServerVersion(statement.file());
            if (min == null || compareVersions(serverVersion, min) >= 0) {
                all.add(statement);
            }
        }
        return all;
    }

    /** The {@code -- min-server-version: X.Y} line of a file, or null. */
    static String minServerVersion(String file) {
        java.util.regex.Matcher m = MIN_VERSION.matcher(read(file));
        return m.find() ? m.group(1) : null;
    }

    /** Compares dotted versions numerically ("18.16.1" < "19.6"); non-numeric parts count as 0. */
    public static int compareVersions(String a, String b) {
        String[] x = a.trim().split("\\.");
        String[] y = b.trim().split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int cmp = Long.compare(number(x, i), number(y, i));
            if (cmp != 0) {
                return cmp;
            }
        }
        return 0;
    }

    private static long number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Long.parseLong(parts[i].replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Runs every statement meant for the server's version; stops at the first failure. */
    public void apply(ClickHouseHttpClient client) throws ClickHouseException {
        String version = client.query("SELECT version()").trim();
        for (Statement statement : statements(version)) {
            try {
                client.query(statement.sql());
            } catch (ClickHouseException e) {
                throw new ClickHouseException("applying " + statement + " failed: " + e.getMessage(), e.code(),
                        e.httpStatus(), e.retriable(), e);
            }
        }
        log.info("ClickHouse schema in database {} is up to date ({})", database, FILES);
    }

    /** Splits a file at ';' ending a line; drops comment-only lines and empty statements. */
    static List<String> split(String script) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\\R")) {
            if (!line.stripLeading().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : STATEMENT_END.split(withoutComments)) {
            String sql = part.strip();
            if (!sql.isEmpty()) {
                statements.add(sql);
            }
        }
        return statements;
    }

    static String read(String file) {
        String resource = DIRECTORY + file;
        try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + resource + " missing from the connector jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** One statement of a migration file. */
    public record Statement(String file, int index, String sql) {
        @Override
        public String toString() {
            return file + " statement " + index;
        }
    }
}
