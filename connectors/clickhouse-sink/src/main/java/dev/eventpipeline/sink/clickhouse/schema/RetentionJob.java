package dev.eventpipeline.sink.clickhouse.schema;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.config.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention for servers without TTL (ClickHouse 18.16): drops the monthly partitions
 * ({@code PARTITION BY toYYYYMM(...)}) that lie entirely before the retention window. On servers
 * with TTL (19.6+) migration V004 sets {@code TTL occurred_at + INTERVAL 18 MONTH} and this job does
 * nothing. Run by each task at start and then every {@link #INTERVAL_MILLIS}; idempotent, so several
 * tasks running it is harmless.
 */
public final class RetentionJob {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    public static final long INTERVAL_MILLIS = 6 * 3600_000L;
    static final String TTL_SINCE = "19.6";

    private final ClickHouseHttpClient client;
    private final String database;
    private final List<String> tables;
    private final int months;
    private final Clock clock;

    public RetentionJob(ClickHouseHttpClient client, String database, List<String> tables, int months, Clock clock) {
        this.client = client;
        this.database = database;
        this.tables = tables;
        this.months = months;
        this.clock = clock;
    }

    /** First month kept: partitions with a smaller YYYYMM are dropped. */
    public int firstMonthKept() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth first = now.minusMonths(months - 1L);
        return first.getYear() * 100 + first.getMonthValue();
    }

    /** Drops expired partitions when the server lacks TTL; returns the partitions dropped. */
    public List<String> run(String serverVersion) throws ClickHouseException {
        List<String> dropped = new ArrayList<>();
        if (SchemaMigrations.compareVersions(serverVersion, TTL_SINCE) >= 0) {
            return dropped;
        }
        int keepFrom = firstMonthKept();
        for (String table : tables) {
            String partitions = client.query("SELECT DISTINCT partition FROM system.parts WHERE database = '" + database
                    + "' AND table = '" + table + "' AND active FORMAT TabSeparated");
            for (String line : partitions.split("\n")) {
                String partition = line.trim().replace("'", "");
                if (!partition.matches("\\d{6}")) {
                    continue;
                }
                if (Integer.parseInt(partition) < keepFrom) {
                    client.query("ALTER TABLE " + Identifiers.qualified(database, table) + " DROP PARTITION " + partition);
                    dropped.add(table + "/" + partition);
                }
            }
        }
        if (!dropped.isEmpty()) {
            log.info("retention ({} months, keeping {} and later): dropped partitions {}", months, keepFrom, dropped);
        }
        return dropped;
    }
}
