package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchSplittingTest {
    /** Rejects any INSERT containing a row whose JSON contains "bad", like ClickHouse rejects a whole block. */
    static final class PickyInserter implements RowInserter {
        final List<List<Long>> inserted = new ArrayList<>();
        int attempts;

        @Override
        public void insert(String table, List<Row> rows) {
            attempts++;
            if (rows.stream().anyMatch(r -> new String(r.data(), StandardCharsets.UTF_8).contains("bad"))) {
                throw new BadDataException("Code: 27, cannot parse", null);
            }
            inserted.add(rows.stream().map(Row::offset).toList());
        }

        List<Long> offsets() {
            return inserted.stream().flatMap(List::stream).sorted().toList();
        }
    }

    private static List<Row> rows(long count, long... bad) {
        return LongStream.range(0, count).mapToObj(o -> new Row("t", "topic", 0, o,
                (LongStream.of(bad).anyMatch(b -> b == o) ? "{\"bad\":" + o + "}" : "{\"o\":" + o + "}")
                        .getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void aRejectedBatchIsSplitUntilOnlyTheBadRowsAreLeftOut() {
        PickyInserter inserter = new PickyInserter();
        List<Long> badOffsets = new ArrayList<>();
        BatchingWriter writer = new BatchingWriter(inserter, 100, Long.MAX_VALUE, Duration.ZERO, Clock.systemUTC(),
                (row, cause) -> badOffsets.add(row.offset()));

        writer.add(rows(100, 17, 63));

        assertThat(badOffsets).containsExactly(17L, 63L);
        assertThat(inserter.offsets()).hasSize(98).doesNotContain(17L, 63L);
        assertThat(inserter.attempts).as("O(bad * log n) INSERTs, not one per row").isLessThan(30);
    }

    @Test
    void aHandlerThatThrowsFailsTheWrite() {
        BatchingWriter writer = new BatchingWriter(new PickyInserter(), 10, Duration.ZERO, Clock.systemUTC());

        assertThatThrownBy(() -> writer.add(rows(4, 2))).isInstanceOf(BadDataException.class);
    }

    @Test
    void batchesAreCutByBytesToo() {
        PickyInserter inserter = new PickyInserter();
        BatchingWriter writer = new BatchingWriter(inserter, 1000, 40, Duration.ofHours(1), Clock.systemUTC(),
                (row, cause) -> { });

        writer.add(rows(3)); // 8-9 bytes each
        assertThat(inserter.inserted).isEmpty();
        writer.add(rows(3));
        assertThat(inserter.inserted).hasSize(2).allSatisfy(batch -> assertThat(batch.size() * 8).isLessThanOrEqualTo(40));
        assertThat(inserter.offsets()).hasSize(6);
    }
}
