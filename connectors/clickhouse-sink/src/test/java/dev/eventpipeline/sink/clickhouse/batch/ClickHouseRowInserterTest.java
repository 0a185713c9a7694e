package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.client.ServerCapabilities;
import dev.eventpipeline.sink.clickhouse.mapping.Row;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseRowInserterTest {
    private FakeClickHouse server;
    private ClickHouseRowInserter inserter;

    @BeforeEach
    void start() throws Exception {
        server = new FakeClickHouse();
        ClickHouseHttpClient client = new ClickHouseHttpClient(URI.create(server.url()), "default", "",
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        ServerCapabilities caps = ServerCapabilities.detect(client);
        server.clear();
        inserter = new ClickHouseRowInserter(client, "event_pipeline", () -> caps);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sendsOneInsertWithNewlineSeparatedRowsAndTheServersSettings() {
        inserter.insert("events_raw", BatchingWriterTest.rows("cart-events-raw", 0, 10, 3));

        FakeClickHouse.Request insert = server.inserts().get(0);
        assertThat(insert.sql()).isEqualTo("INSERT INTO `event_pipeline`.`events_raw` FORMAT JSONEachRow");
        assertThat(insert.params()).containsEntry("input_format_skip_unknown_fields", "1")
                .containsEntry("insert_sample_with_metadata", "1")
                .doesNotContainKey("compress");
        assertThat(insert.body()).isEqualTo("{\"o\":10}\n{\"o\":11}\n{\"o\":12}\n");
    }

    @Test
    void rowBinaryRowsGoConcatenatedUnderTheirColumnList() {
        List<String> columns = List.of("event_id", "type");
        inserter.insert("events_raw", List.of(
                new Row("events_raw", "t", 0, 1, new byte[]{2, 'e', '1', 1, 'a'}, columns, null),
                new Row("events_raw", "t", 0, 2, new byte[]{2, 'e', '2', 0}, columns, null)));

        FakeClickHouse.Request insert = server.inserts().get(0);
        assertThat(insert.sql()).isEqualTo("INSERT INTO `event_pipeline`.`events_raw` (`event_id`, `type`) FORMAT RowBinary");
        assertThat(insert.body()).isEqualTo("\u0002e1\u0001a\u0002e2\u0000");
    }

    @Test
    void emptyBatchSendsNothing() {
        inserter.insert("events_raw", List.of());

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void transientErrorsAreRetriableWithTableAndOffsets() {
        server.failInserts(500, "Code: 252, e.displayText() = DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts.");

        assertThatThrownBy(() -> inserter.insert("events_raw", BatchingWriterTest.rows("cart-events-raw", 1, 5, 3)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("INSERT of 3 rows into event_pipeline.events_raw")
                .hasMessageContaining("cart-events-raw-1 offsets 5..7")
                .hasMessageContaining("Too many parts");
    }

    @Test
    void otherErrorsFailWithClickHousesMessage() {
        server.failInserts(500, "Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected { before: x");

        assertThatThrownBy(() -> inserter.insert("events_raw", BatchingWriterTest.rows("cart-events-raw", 0, 0, 1)))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("code 27")
                .hasMessageContaining("Cannot parse input")
                .hasMessageContaining("cart-events-raw-0 offsets 0..0");
    }

    @Test
    void offsetRangesPerPartition() {
        List<Row> rows = new ArrayList<>(BatchingWriterTest.rows("t", 0, 10, 3));
        rows.addAll(BatchingWriterTest.rows("t", 1, 3, 2));
        rows.addAll(BatchingWriterTest.rows("t", 0, 2, 1));

        assertThat(ClickHouseRowInserter.offsetRanges(rows)).isEqualTo("t-0 offsets 2..12, t-1 offsets 3..4");
    }
}
