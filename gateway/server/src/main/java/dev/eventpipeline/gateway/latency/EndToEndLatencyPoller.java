package dev.eventpipeline.gateway.latency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Feeds the end-to-end histogram from ClickHouse itself: each poll counts the rows inserted in the
 * seconds since the previous poll, grouped by {@code inserted_at - received_at}. The row's own
 * timestamps are the truth (the sink writes {@code received_at} from the ingestion header,
 * ClickHouse fills {@code inserted_at} at insert), so nothing is sampled on the hot path.
 * Resolution is one second: ClickHouse 18.16 has no DateTime64. Only complete seconds are read,
 * each once. Rows are looked up in the partitions of the last two months of {@code occurred_at}
 * (the table's partition key) so a poll never scans the whole history; an event that occurred
 * earlier than that is not counted.
 */
public final class EndToEndLatencyPoller {
    private static final Logger log = LoggerFactory.getLogger(EndToEndLatencyPoller.class);
    static final String TABLE = "events_raw";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String clickHouseUrl;
    private final String database;
    private final LatencyMeters meters;
    private final Clock clock;
    private long fromSecond;

    public EndToEndLatencyPoller(String clickHouseUrl, String database, LatencyMeters meters, Clock clock) {
        this.clickHouseUrl = clickHouseUrl;
        this.database = database;
        this.meters = meters;
        this.clock = clock;
        this.fromSecond = clock.instant().getEpochSecond();
    }

    static String query(String database, long from, long to) {
        return "SELECT toInt64(toUInt32(inserted_at)) - toInt64(toUInt32(received_at)) AS latency_s, count() AS n"
                + " FROM `" + database + "`.`" + TABLE + "`"
                + " WHERE toYYYYMM(occurred_at) >= toYYYYMM(toDateTime(" + from + ") - 2678400)"
                + " AND inserted_at >= toDateTime(" + from + ") AND inserted_at < toDateTime(" + to + ")"
                + " GROUP BY latency_s FORMAT JSONEachRow";
    }

    /** Reads the complete seconds since the last poll; a failed poll is read again next time. */
    public synchronized void poll() {
        long to = clock.instant().getEpochSecond(); // exclusive: the current second is not complete yet
        if (to <= fromSecond) {
            return;
        }
        String sql = query(database, fromSecond, to);
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(clickHouseUrl + "/?query="
                    + URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                log.debug("end-to-end latency query answered {}: {}", resp.statusCode(), resp.body());
                return;
            }
            for (String line : resp.body().split("\n")) {
                if (!line.isBlank()) {
                    JsonNode row = JsonMapper.get().readTree(line);
                    meters.endToEnd(TABLE, row.path("latency_s").asLong(), row.path("n").asLong());
                }
            }
            fromSecond = to;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("end-to-end latency poll failed: {}", e.toString());
        }
    }
}
