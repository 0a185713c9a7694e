package dev.eventpipeline.reliability.audit;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
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
    public record Counts(long rawRows, long rawDistinct, long rawDuplicateIds, long processedRows, long processedDuplicateIds,
                         long errorsRows, Set<String> rawIds) {
    }

    public Counts counts(String run) throws IOException {
        String like = "event_id LIKE '" + run + "-%'";
        Set<String> ids = new HashSet<>();
        long rows = 0;
        for (String line : query("SELECT event_id FROM " + DATABASE + ".events_raw FINAL WHERE " + like + " FORMAT TabSeparated")
                .split("\n")) {
            if (!line.isEmpty()) {
                rows++;
                ids.add(line);
            }
        }
        long processedRows = number("SELECT count() FROM " + DATABASE + ".events_processed FINAL WHERE " + like);
        long processedDistinct = number("SELECT uniqExact(event_id) FROM " + DATABASE + ".events_processed FINAL WHERE " + like);
        long errors = number("SELECT count() FROM " + DATABASE + ".events_errors FINAL WHERE " + like);
        return new Counts(rows, ids.size(), rows - ids.size(), processedRows, processedRows - processedDistinct, errors, ids);
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
