package dev.eventpipeline.reliability.audit;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Loss and duplicate accounting of one run (event ids {@code <run>-...}): what ClickHouse holds after
 * {@code FINAL} against what the clients were told, and how many records the dead-letter topic gained.
 * Reads ClickHouse through the server's own HTTP interface (one connection per query, so a stopped
 * server is never kept waiting by an idle client connection).
 */
public final class PersistenceAudit {
    public static final String DATABASE = "event_pipeline";

    private final Supplier<ClickHouseServer> clickHouse;
    private final String bootstrapServers;

    public PersistenceAudit(Supplier<ClickHouseServer> clickHouse, String bootstrapServers) {
        this.clickHouse = clickHouse;
        this.bootstrapServers = bootstrapServers;
    }

    /** What ClickHouse and the DLQ hold for one run. */
    public record Counts(long rawRows, long rawDistinct, long rawDuplicateIds, long errorsRows, Set<String> rawIds) {
    }

    public Counts counts(String run) throws IOException {
        List<String> rows = rowIds("events_raw", run);
        Set<String> ids = new HashSet<>(rows);
        long errors = number("SELECT count() FROM " + DATABASE + ".events_errors FINAL WHERE " + runFilter(run));
        return new Counts(rows.size(), ids.size(), rows.size() - ids.size(), errors, ids);
    }

    /**
     * The event id of every row of one run in {@code table} after {@code FINAL}, one entry per row (an id
     * with two rows appears twice). The ids are compared in this JVM, as for events_raw: a run has at
     * most some 10^5 ids, and no temporary table has to survive a ClickHouse restart.
     */
    public List<String> rowIds(String table, String run) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : query("SELECT event_id FROM " + DATABASE + "." + table + " FINAL WHERE " + runFilter(run)
                + " FORMAT TabSeparated").split("\n")) {
            if (!line.isEmpty()) {
                ids.add(line);
            }
        }
        return ids;
    }

    /** Enriched rows of one run written while Redis was unreachable (NULL lookups): present, so not lost. */
    public long redisDegradedRows(String run) throws IOException {
        return number("SELECT count() FROM " + DATABASE + ".events_processed FINAL WHERE " + runFilter(run) + " AND redis_degraded = 1");
    }

    private static String runFilter(String run) {
        return "event_id LIKE '" + run + "-%'";
    }

    /**
     * Polls until events_raw holds every accepted id (or the timeout) and returns the last counts; the
     * time it took is the persistence side of the recovery time.
     */
    public Counts awaitPersisted(String run, Set<String> accepted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Counts last = null;
        while (true) {
            try {
                last = counts(run);
                if (last.rawIds().containsAll(accepted)) {
                    return last;
                }
            } catch (IOException e) {
                // ClickHouse may still be starting after its fault: poll again.
            }
            if (System.nanoTime() > deadline) {
                if (last == null) {
                    throw new IllegalStateException("ClickHouse did not answer within " + timeout);
                }
                return last;
            }
            Thread.sleep(500);
        }
    }

    /** Records in {@code cart-events-dlq} now (sum of end offsets): compare before and after a run. */
    public long deadLetterRecords() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(Set.of(Topics.DLQ)).allTopicNames().get(10, TimeUnit.SECONDS).get(Topics.DLQ).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.DLQ, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("reading the DLQ end offsets failed: " + e, e);
        }
    }

    long number(String sql) throws IOException {
        return Long.parseLong(query(sql + " FORMAT TabSeparated").trim());
    }

    String query(String sql) throws IOException {
        return clickHouse.get().query(sql);
    }
}
