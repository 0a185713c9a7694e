package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BatchingWriter#oldestUnwritten()}: what preCommit may not commit beyond, with a fake inserter. */
class UnwrittenOffsetsTest {
    private static final TopicPartition P0 = new TopicPartition("topic", 0);
    private static final TopicPartition P1 = new TopicPartition("topic", 1);
    private final List<Long> written = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean down;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final RowInserter inserter = (table, rows) -> {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new RetriableException("interrupted", e);
        }
        if (down) {
            throw new RetriableException("ClickHouse down");
        }
        rows.forEach(r -> written.add(r.offset()));
    };
    private BatchingWriter writer;

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private static List<Row> rows(int partition, long from, long to) {
        return LongStream.range(from, to).mapToObj(o -> new Row("t", "topic", partition, o,
                ("{\"o\":" + o + "}").getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void bufferedRowsAreUnwrittenPerPartitionWrittenOnesAreNot() {
        writer = new BatchingWriter(inserter, 5, Duration.ofHours(1), Clock.systemUTC());
        assertThat(writer.oldestUnwritten()).isEmpty();

        writer.add(Stream.concat(rows(0, 10, 13).stream(), rows(1, 7, 8).stream()).toList());
        assertThat(written).isEmpty();
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 10L, P1, 7L));

        writer.add(rows(0, 13, 15)); // 6 rows: due, written
        assertThat(written).hasSize(6);
        assertThat(writer.oldestUnwritten()).isEmpty();

        writer.add(rows(0, 15, 16));
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 15L));
    }

    @Test
    void inFlightRowsAreUnwrittenUntilTheirInsertIsCollected() throws Exception {
        writer = new BatchingWriter(inserter, 5, Long.MAX_VALUE, Duration.ofHours(1), Clock.systemUTC(),
                (row, cause) -> { }, "insert-thread");
        gate = new CountDownLatch(1);
        writer.add(rows(0, 0, 5)); // due: in flight, blocked at the gate

        writer.collectFinished(); // does not wait
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 0L));

        gate.countDown();
        awaitWritten(5);
        writer.collectFinished();
        assertThat(writer.oldestUnwritten()).isEmpty();
    }

    @Test
    void rowsOfAFailedInsertStayUnwrittenAndTheFailureIsNotThrownByCollect() throws Exception {
        writer = new BatchingWriter(inserter, 5, Long.MAX_VALUE, Duration.ofHours(1), Clock.systemUTC(),
                (row, cause) -> { }, "insert-thread");
        down = true;
        writer.add(rows(0, 0, 5));
        while (writer.insertRunning()) {
            Thread.sleep(5);
        }

        writer.collectFinished();
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 0L));

        down = false;
        writer.flush();
        assertThat(written).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(writer.oldestUnwritten()).isEmpty();
    }

    private void awaitWritten(int rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((written.size() < rows || writer.insertRunning()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
