package dev.eventpipeline.sink.clickhouse.mapping;

import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;
import dev.eventpipeline.sink.clickhouse.config.TopicTableMapping;
import dev.eventpipeline.sink.clickhouse.schema.TableColumns;
import dev.eventpipeline.sink.clickhouse.testing.Events;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapper alone on enriched (events_processed-shaped) records, streaming path (byte[] values) against the
 * tree path (the same bytes as a ByteBuffer), in alternating rounds; prints CPU µs per row of this thread and
 * the load average. Off by default: {@code -Dmapper.bench=true [-Dmapper.bench.rows=200000]}.
 */
@EnabledIfSystemProperty(named = "mapper.bench", matches = "true")
class MapperCpuBenchmarkTest {
    @Test
    void processedRowsStreamingVsTree() throws Exception {
        int rows = Integer.getInteger("mapper.bench.rows", 200_000);
        RowMapper mapper = new RowMapper(TopicTableMapping.parse(List.of("cart-events-enriched:events_processed")),
                Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC),
                new ClickHouseSinkConfig(Map.of()).fieldPaths(), RowMapper.UnknownFields.KEEP, "extra",
                RowMapper.InsertFormat.ROW_BINARY);
        TableColumns table = RowMapperColumnsTest.shipped("events_processed");
        byte[][] events = new byte[1000][];
        for (int i = 0; i < events.length; i++) {
            events[i] = RowMapperColumnsTest.ENRICHED.replace("\n", "").replace(" ", "")
                    .replace("\"e-1\"", "\"e-" + i + "\"").getBytes(StandardCharsets.UTF_8);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        long sink = 0;
        for (int round = 0; round < 6; round++) {
            for (boolean streaming : new boolean[]{true, false}) {
                long before = mapper.streamedRows;
                long cpu0 = cpu.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < rows; i++) {
                    byte[] e = events[i % events.length];
                    SinkRecord r = Events.record("cart-events-enriched", 0, i, streaming ? e : ByteBuffer.wrap(e));
                    sink += mapper.map(r, table).data().length;
                }
                double cpuUs = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e3 / rows;
                double wallS = (System.nanoTime() - wall0) / 1e9;
                assertThat(mapper.streamedRows - before).isEqualTo(streaming ? rows : 0);
                String line = String.format("round %d %-9s %.2f µs CPU/row, %,.0f rows/s wall, load %s", round,
                        streaming ? "streaming" : "tree", cpuUs, rows / wallS,
                        Files.readString(Path.of("/proc/loadavg")).trim());
                System.out.println(line);
                out.append(line).append('\n');
            }
        }
        Files.writeString(Path.of("target/mapper-bench.txt"), out);
        assertThat(sink).isPositive();
    }

    /**
     * The mapper alone on the sink benchmark's records ({@code SinkBenchmarkIT}: 300-byte events as {@code byte[]},
     * {@code ByteArrayConverter}) into {@code events_raw}: the per-row CPU of the shipped raw connector's task.
     */
    @Test
    void rawRows() throws Exception {
        int rows = Integer.getInteger("mapper.bench.rows", 200_000);
        RowMapper mapper = new RowMapper(TopicTableMapping.parse(List.of("bench-events:events_raw")),
                Clock.systemUTC(), new ClickHouseSinkConfig(Map.of()).fieldPaths(), RowMapper.UnknownFields.KEEP,
                "extra", RowMapper.InsertFormat.ROW_BINARY);
        TableColumns table = RowMapperColumnsTest.shipped("events_raw");
        byte[][] events = new byte[10_000][];
        for (int i = 0; i < events.length; i++) {
            events[i] = benchEvent(i).getBytes(StandardCharsets.UTF_8);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        long sink = 0;
        for (int round = 0; round < Integer.getInteger("mapper.bench.rounds", 8); round++) {
            long cpu0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < rows; i++) {
                SinkRecord r = Events.record("bench-events", 0, i, events[i % events.length]);
                sink += mapper.map(r, table).data().length;
            }
            String line = String.format("round %d raw %.2f µs CPU/row, load %s", round,
                    (cpu.getCurrentThreadCpuTime() - cpu0) / 1e3 / rows, Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.println(line);
            out.append(line).append('\n');
        }
        Files.writeString(Path.of("target/mapper-bench-raw.txt"), out);
        assertThat(mapper.streamedRows).isEqualTo((long) rows * Integer.getInteger("mapper.bench.rounds", 8));
        assertThat(sink).isPositive();
    }

    /** The event of {@code SinkBenchmarkIT.event(int)} (gateway/launcher), 300 bytes. */
    static String benchEvent(int i) {
        return String.format("{\"eventId\":\"bench-%09d\",\"type\":\"cart.item_added\",\"schemaVersion\":1,"
                + "\"occurredAt\":\"2026-11-27T08:%02d:%02d.%03dZ\",\"userId\":\"user-%06d\",\"sessionId\":\"sess-%08d\","
                + "\"storeId\":\"store-eu-1\",\"payload\":{\"sku\":\"SKU-%05d\",\"quantity\":%d,\"price\":19.99,"
                + "\"currency\":\"EUR\",\"cartId\":\"cart-%08d\",\"source\":\"web\"}}",
                i, (i / 60_000) % 60, (i / 1000) % 60, i % 1000, i % 100_000, i / 20, i % 50_000, 1 + i % 5, i / 20);
    }
}
