package dev.eventpipeline.sink.clickhouse.schema;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Column lists of the target tables, read from {@code system.columns} when first needed and again
 * every {@code refreshInterval}, so a column added with {@code ALTER TABLE ... ADD COLUMN} is filled
 * from the next batch on, without restarting the task (schema drift).
 */
public final class TableSchemas {
    private static final Logger log = LoggerFactory.getLogger(TableSchemas.class);

    private final ClickHouseHttpClient client;
    private final String database;
    private final Duration refreshInterval;
    private final Clock clock;
    private final Map<String, TableColumns> tables = new HashMap<>();
    private final Map<String, Long> loadedAt = new HashMap<>();

    public TableSchemas(ClickHouseHttpClient client, String database, Duration refreshInterval, Clock clock) {
        this.client = client;
        this.database = database;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** The table's columns; re-read when older than the refresh interval. */
    public TableColumns columns(String table) throws ClickHouseException {
        long now = clock.millis();
        TableColumns current = tables.get(table);
        Long at = loadedAt.get(table);
        if (current != null && at != null && now - at < refreshInterval.toMillis()) {
            return current;
        }
        TableColumns fresh = load(table);
        if (current != null && current.equals(fresh)) {
            fresh = current; // same instance: the mapper keeps its plan
        } else if (current != null) {
            log.info("columns of {}.{} changed: {} -> {}", database, table, names(current), names(fresh));
        }
        tables.put(table, fresh);
        loadedAt.put(table, now);
        return fresh;
    }

    /** Forgets every table, so the next call reads them again. */
    public void invalidate() {
        loadedAt.clear();
    }

    TableColumns load(String table) throws ClickHouseException {
        String sql = "SELECT name, type, default_kind FROM system.columns WHERE database = '" + database
                + "' AND table = '" + table + "' FORMAT TabSeparated";
        TableColumns columns = TableColumns.parse(table, client.query(sql));
        if (columns.columns().isEmpty()) {
            throw new ClickHouseException("table " + database + "." + table + " does not exist (no columns in "
                    + "system.columns); create it or enable schema.apply", 60, 0, false, null);
        }
        return columns;
    }

    private static String names(TableColumns t) {
        return t.columns().stream().map(TableColumns.Column::name).toList().toString();
    }
}
