package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchingWriterTest {
    private final MutableClock clock = new MutableClock();
    private final RecordingInserter inserter = new RecordingInserter();

    @Test
    void buffersUntilMaxRowsThenWritesEverything() {
        BatchingWriter writer = new BatchingWriter(inserter, 5, Duration.ofHours(1), clock);

        writer.add(rows("t", 0, 0, 3));
        assertThat(inserter.batches).isEmpty();
        assertThat(writer.buffered()).isEqualTo(3);

        writer.add(rows("t", 0, 3, 2));
        assertThat(inserter.offsets()).containsExactly(List.of(0L, 1L, 2L, 3L, 4L));
        assertThat(writer.buffered()).isZero();
    }

    @Test
    void splitsLargeBatchesIntoInsertsOfAtMostMaxRows() {
        BatchingWriter writer = new BatchingWriter(inserter, 4, Duration.ofHours(1), clock);

        writer.add(rows("t", 0, 0, 10));

        assertThat(inserter.batches).extracting(b -> b.rows().size()).containsExactly(4, 4, 2);
    }

    @Test
    void writesOneInsertPerTable() {
        BatchingWriter writer = new BatchingWriter(inserter, 100, Duration.ofHours(1), clock);
        List<Row> mixed = new ArrayList<>(rows("a", 0, 0, 2));
        mixed.addAll(rows("b", 1, 0, 1));
        mixed.addAll(rows("a", 0, 2, 1));

        writer.add(mixed);
        writer.flush();

        assertThat(inserter.batches).extracting(Batch::table).containsExactly("a", "b");
        assertThat(inserter.batches.get(0).rows()).extracting(Row::offset).containsExactly(0L, 1L, 2L);
    }

    @Test
    void writesWhenTheOldestRowIsOldEnough() {
        BatchingWriter writer = new BatchingWriter(inserter, 100, Duration.ofMillis(1_000), clock);

        writer.add(rows("t", 0, 0, 1));
        assertThat(writer.millisUntilDue()).isEqualTo(1_000);
        clock.advance(400);
        writer.add(rows("t", 0, 1, 1));
        assertThat(inserter.batches).isEmpty();
        assertThat(writer.millisUntilDue()).isEqualTo(600);

        clock.advance(600);
        writer.add(List.of());

        assertThat(inserter.offsets()).containsExactly(List.of(0L, 1L));
        assertThat(writer.millisUntilDue()).isEqualTo(-1);
    }

    @Test
    void zeroWaitWritesOnEveryPut() {
        BatchingWriter writer = new BatchingWriter(inserter, 100, Duration.ZERO, clock);

        writer.add(rows("t", 0, 0, 1));

        assertThat(inserter.batches).hasSize(1);
    }

    @Test
    void failedAddKeepsOldRowsButNotTheNewOnes() {
        BatchingWriter writer = new BatchingWriter(inserter, 3, Duration.ofHours(1), clock);
        writer.add(rows("t", 0, 0, 2));
        inserter.failNext = true;

        assertThatThrownBy(() -> writer.add(rows("t", 0, 2, 2))).isInstanceOf(RetriableException.class);
        assertThat(writer.buffered()).isEqualTo(2);

        // the worker re-delivers the same records
        writer.add(rows("t", 0, 2, 2));
        assertThat(inserter.offsets()).containsExactly(List.of(0L, 1L, 2L), List.of(3L));
    }

    @Test
    void failedAddKeepsTheAgeOfTheBuffer() {
        BatchingWriter writer = new BatchingWriter(inserter, 100, Duration.ofMillis(1_000), clock);
        writer.add(rows("t", 0, 0, 1));
        clock.advance(1_000);
        inserter.failNext = true;

        assertThatThrownBy(() -> writer.add(rows("t", 0, 1, 1))).isInstanceOf(RetriableException.class);

        assertThat(writer.millisUntilDue()).isZero();
    }

    @Test
    void flushWritesTheBufferAndEmptiesItEvenOnFailure() {
        BatchingWriter writer = new BatchingWriter(inserter, 100, Duration.ofHours(1), clock);
        writer.add(rows("t", 0, 0, 2));
        writer.flush();
        assertThat(inserter.offsets()).containsExactly(List.of(0L, 1L));

        writer.add(rows("t", 0, 2, 2));
        inserter.failNext = true;
        assertThatThrownBy(writer::flush).isInstanceOf(RetriableException.class);
        assertThat(writer.buffered()).as("the worker rewinds to the committed offsets").isZero();

        writer.flush();
        assertThat(inserter.batches).hasSize(1);
    }

    @Test
    void discardDropsRowsOfRevokedPartitionsOnly() {
        BatchingWriter writer = new BatchingWriter(inserter, 100, Duration.ofHours(1), clock);
        writer.add(rows("t", 0, 0, 2));
        writer.add(rows("t", 1, 0, 3));

        writer.discard(List.of(new TopicPartition("t", 0)));

        assertThat(writer.buffered()).isEqualTo(3);
        writer.flush();
        assertThat(inserter.batches.get(0).rows()).allMatch(r -> r.partition() == 1);
    }

    @Test
    void rejectsZeroMaxRows() {
        assertThatThrownBy(() -> new BatchingWriter(inserter, 0, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<Row> rows(String topic, int partition, long firstOffset, int count) {
        return LongStream.range(firstOffset, firstOffset + count)
                .mapToObj(o -> new Row(topic, topic, partition, o, ("{\"o\":" + o + "}").getBytes()))
                .toList();
    }

    record Batch(String table, List<Row> rows) {
    }

    static final class RecordingInserter implements RowInserter {
        final List<Batch> batches = new ArrayList<>();
        boolean failNext;

        @Override
        public void insert(String table, List<Row> rows) {
            if (failNext) {
                failNext = false;
                throw new RetriableException("ClickHouse answered HTTP 500, code 252 (TOO_MANY_PARTS)");
            }
            batches.add(new Batch(table, List.copyOf(rows)));
        }

        List<List<Long>> offsets() {
            return batches.stream().map(b -> b.rows().stream().map(Row::offset).toList()).toList();
        }
    }

    static final class MutableClock extends Clock {
        private long millis = 1_000_000;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }
}
