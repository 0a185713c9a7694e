package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PipelinedWriterTest {
    private final List<Long> written = Collections.synchronizedList(new ArrayList<>());
    private final List<String> badThreads = new ArrayList<>();
    private final List<Long> bad = new ArrayList<>();
    private volatile boolean down;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final List<String> insertThreads = Collections.synchronizedList(new ArrayList<>());

    private final RowInserter inserter = (table, rows) -> {
        insertThreads.add(Thread.currentThread().getName());
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new RetriableException("interrupted", e);
        }
        if (down) {
            throw new RetriableException("ClickHouse down");
        }
        if (rows.stream().anyMatch(r -> new String(r.data(), StandardCharsets.UTF_8).contains("bad"))) {
            throw new BadDataException("Code: 27", null);
        }
        rows.forEach(r -> written.add(r.offset()));
    };

    private final BatchingWriter writer = new BatchingWriter(inserter, 5, Long.MAX_VALUE, Duration.ofHours(1),
            Clock.systemUTC(), (row, cause) -> {
                bad.add(row.offset());
                badThreads.add(Thread.currentThread().getName());
            }, "insert-thread");

    @AfterEach
    void close() {
        writer.close();
    }

    private static List<Row> rows(long from, long to, long... badOffsets) {
        return LongStream.range(from, to).mapToObj(o -> new Row("t", "topic", 0, o,
                (LongStream.of(badOffsets).anyMatch(b -> b == o) ? "{\"bad\":1}" : "{\"o\":" + o + "}")
                        .getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void aDueBatchIsSentInTheBackgroundAndFlushWaitsForIt() {
        gate = new CountDownLatch(1);
        writer.add(rows(0, 5)); // due: sent in the background, blocked at the gate
        assertThat(written).isEmpty();
        gate.countDown();
        writer.flush();

        assertThat(written).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(insertThreads).containsOnly("insert-thread");
    }

    @Test
    void theTaskKeepsBufferingWhileAnInsertIsInFlightAndTheNextDueBatchWaitsForIt() throws Exception {
        gate = new CountDownLatch(1);
        writer.add(rows(0, 5)); // due: in flight, blocked at the gate
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> writer.add(rows(5, 8)), "add() must not wait for the INSERT in flight");
        assertThat(writer.buffered()).isEqualTo(3);
        assertThat(writer.insertRunning()).isTrue();

        Thread next = new Thread(() -> writer.add(rows(8, 10))); // due: waits for the INSERT in flight first
        next.start();
        next.join(300);
        assertThat(next.isAlive()).as("the second due batch waits for the first INSERT").isTrue();
        assertThat(written).isEmpty();
        gate.countDown();
        next.join(10_000);
        writer.flush();

        assertThat(written).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void rowsOfAFailedBackgroundInsertAreKeptAndWrittenFirst() {
        down = true;
        writer.add(rows(0, 5)); // fails in the background
        awaitInsertEnded();
        assertThatThrownBy(() -> writer.add(rows(5, 7))).isInstanceOf(RetriableException.class);
        assertThatThrownBy(() -> writer.add(rows(5, 7))).as("still down").isInstanceOf(RetriableException.class);

        down = false;
        writer.add(rows(5, 7)); // the worker's redelivery
        writer.flush();

        assertThat(written).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aFailedFlushDropsEverythingBecauseTheWorkerRewinds() {
        down = true;
        writer.add(rows(0, 5));
        assertThatThrownBy(writer::flush).isInstanceOf(RetriableException.class);

        down = false;
        writer.flush();
        assertThat(written).isEmpty();
    }

    @Test
    void badRowsFoundInTheBackgroundAreHandedOverOnTheCallersThread() {
        writer.add(rows(0, 5, 3));
        writer.flush();

        assertThat(bad).containsExactly(3L);
        assertThat(badThreads).containsOnly(Thread.currentThread().getName());
        assertThat(written).containsExactlyInAnyOrder(0L, 1L, 2L, 4L);
    }

    private void awaitInsertEnded() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.insertRunning() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
