package dev.eventpipeline.sink.clickhouse.batch;

import dev.eventpipeline.sink.clickhouse.mapping.Row;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StreamingWriter} with a fake ClickHouse: INSERT boundaries, acknowledgement, rewind, isolation. */
class StreamingWriterTest {
    private static final TopicPartition P0 = new TopicPartition("topic", 0);
    private static final TopicPartition P1 = new TopicPartition("topic", 1);

    /** What the fake ClickHouse stored, in INSERT order. */
    private final List<List<Long>> stored = new ArrayList<>();
    private final List<FakeInsert> inserts = new ArrayList<>();
    private final List<Map<TopicPartition, Long>> rewinds = new ArrayList<>();
    private final List<Long> badRows = new ArrayList<>();
    private final List<Long> isolatedWrites = new ArrayList<>();
    /** The next INSERT to be answered fails with this (once). */
    private RuntimeException nextAnswer;
    /** An INSERT holding this offset is rejected for its data (streamed and isolated alike). */
    private long poisoned = -1;
    private long now = 1_000_000;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    };

    private final class FakeInsert implements StreamInserter.OpenInsert {
        final List<Long> rows = new ArrayList<>();
        boolean ready = true;
        boolean finished;
        boolean aborted;

        @Override
        public void write(byte[] row) {
            assertThat(finished || aborted).as("write after the body ended").isFalse();
            String json = new String(row, StandardCharsets.UTF_8);
            rows.add(Long.parseLong(json.substring(json.indexOf(':') + 1, json.indexOf('}'))));
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public void finish() {
            finished = true;
        }

        @Override
        public boolean done() {
            return finished || aborted;
        }

        @Override
        public void await() {
            assertThat(finished).as("awaited before its body ended").isTrue();
            if (aborted) {
                throw new RetriableException("aborted");
            }
            if (nextAnswer != null) {
                RuntimeException answer = nextAnswer;
                nextAnswer = null;
                throw answer;
            }
            if (rows.contains(poisoned)) {
                throw new BadDataException("Cannot parse input", null);
            }
            stored.add(rows);
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    private final StreamInserter inserter = (table, columns) -> {
        FakeInsert insert = new FakeInsert();
        inserts.add(insert);
        return insert;
    };

    private final RowInserter isolationInserter = (table, rows) -> {
        if (rows.stream().anyMatch(r -> r.offset() == poisoned)) {
            throw new BadDataException("Cannot parse input", null);
        }
        rows.forEach(r -> isolatedWrites.add(r.offset()));
    };

    private StreamingWriter writer(int maxRows) {
        return new StreamingWriter(inserter, isolationInserter, maxRows, Long.MAX_VALUE, Duration.ofSeconds(10), clock,
                (row, cause) -> badRows.add(row.offset()), rewinds::add);
    }

    private static List<Row> rows(int partition, long from, long to) {
        return LongStream.range(from, to).mapToObj(o -> new Row("t", "topic", partition, o,
                ("{\"o\":" + o + "}").getBytes(StandardCharsets.UTF_8))).toList();
    }

    private List<Long> storedOffsets() {
        return stored.stream().flatMap(List::stream).sorted().toList();
    }

    @Test
    void rowsGoStraightIntoAnOpenInsertThatEndsAtMaxRowsAndAtFlush() {
        StreamingWriter writer = writer(5);
        writer.add(rows(0, 0, 12));

        assertThat(inserts).hasSize(3);
        assertThat(inserts.get(0).rows).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(inserts.get(0).finished).isTrue();
        assertThat(inserts.get(2).rows).containsExactly(10L, 11L);
        assertThat(inserts.get(2).finished).isFalse();
        // the second INSERT ended while the first was unanswered: the first was awaited (one unanswered per table)
        assertThat(stored).containsExactly(List.of(0L, 1L, 2L, 3L, 4L));
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 5L));
        assertThat(writer.buffered()).isEqualTo(7);

        writer.flush();
        assertThat(storedOffsets()).isEqualTo(LongStream.range(0, 12).boxed().toList());
        assertThat(writer.oldestUnwritten()).isEmpty();
        assertThat(writer.buffered()).isZero();
        assertThat(rewinds).isEmpty();
    }

    @Test
    void whileClickHouseIsNotReadingAnInsertASecondOneTakesTheRowsNeverAThird() {
        StreamingWriter writer = writer(1000);
        writer.add(rows(0, 0, 2));
        inserts.get(0).ready = false; // ClickHouse is writing a block of it
        writer.add(rows(0, 2, 4));
        assertThat(inserts).hasSize(2);
        assertThat(inserts.get(1).rows).containsExactly(2L, 3L);

        inserts.get(1).ready = false;
        writer.add(rows(0, 4, 5)); // both held up: the first takes it (and waits)
        assertThat(inserts).hasSize(2);
        assertThat(inserts.get(0).rows).containsExactly(0L, 1L, 4L);

        inserts.get(0).ready = true;
        writer.add(rows(0, 5, 6));
        assertThat(inserts.get(0).rows).containsExactly(0L, 1L, 4L, 5L);
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 0L));

        writer.flush();
        assertThat(storedOffsets()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(writer.oldestUnwritten()).isEmpty();
    }

    @Test
    void anInsertEndsWhenItIsMaxWaitOldAndTheTaskIsToldWhenThatIs() {
        StreamingWriter writer = writer(1000);
        assertThat(writer.millisUntilDue()).isEqualTo(-1);
        writer.add(rows(0, 0, 3));
        assertThat(writer.millisUntilDue()).isEqualTo(10_000);
        now += 4_000;
        assertThat(writer.millisUntilDue()).isEqualTo(6_000);
        now += 6_000;
        writer.add(List.of());
        assertThat(inserts.get(0).finished).isTrue();
        assertThat(writer.millisUntilDue()).isEqualTo(-1);
        writer.add(List.of()); // the answer is collected at the next call
        assertThat(stored).containsExactly(List.of(0L, 1L, 2L));
        assertThat(writer.oldestUnwritten()).isEmpty();
    }

    @Test
    void aFailedInsertRewindsToItsFirstOffsetsAndHoldsCommitsUntilTheRecordsComeAgain() {
        StreamingWriter writer = writer(5);
        writer.add(Stream.concat(rows(0, 0, 5).stream(), rows(1, 100, 103).stream()).toList());
        nextAnswer = new RetriableException("Code: 252, Too many parts");

        assertThatThrownBy(() -> writer.add(rows(0, 5, 7)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("Too many parts")
                .hasMessageContaining("read again from");
        assertThat(inserts.get(1).aborted).as("the open INSERT is aborted too").isTrue();
        assertThat(rewinds).containsExactly(Map.of(P0, 0L, P1, 100L));
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 0L, P1, 100L));

        // the worker delivers the failed batch again, then the rewound consumer reads from the rewind point
        writer.add(rows(0, 5, 7));
        assertThat(writer.oldestUnwritten()).as("held below the rewind point").isEqualTo(Map.of(P0, 0L, P1, 100L));
        writer.add(Stream.concat(rows(0, 0, 7).stream(), rows(1, 100, 103).stream()).toList());
        writer.flush();

        assertThat(writer.oldestUnwritten()).isEmpty();
        assertThat(storedOffsets()).containsAll(LongStream.range(0, 7).boxed().toList())
                .containsAll(List.of(100L, 101L, 102L));
    }

    @Test
    void aRecordThatWentToTheDeadLetterQueueAlsoReachesTheRewindPoint() {
        StreamingWriter writer = writer(2);
        writer.add(rows(0, 3, 5)); // two rows: the INSERT ends
        nextAnswer = new RetriableException("connection reset");
        assertThatThrownBy(() -> writer.add(List.of())).isInstanceOf(RetriableException.class);
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 3L));

        writer.skipped(new SinkRecord("topic", 0, null, null, null, "bad", 3));
        assertThat(writer.oldestUnwritten()).isEmpty();
    }

    @Test
    void anInsertRejectedForItsDataIsReadAgainThroughSplitBatchesThatFindTheBadRow() {
        StreamingWriter writer = writer(5);
        poisoned = 3;
        writer.add(rows(0, 0, 5));

        assertThatThrownBy(writer::flush).isInstanceOf(RetriableException.class).hasMessageContaining("Cannot parse input");
        assertThat(rewinds).as("a failed commit: the worker rewinds to the committed offsets itself").isEmpty();

        writer.add(rows(0, 0, 7)); // re-read: 0..4 isolated (a batch of 5, split), 5..6 streamed
        writer.flush();
        assertThat(badRows).containsExactly(3L);
        assertThat(isolatedWrites).containsExactlyInAnyOrder(0L, 1L, 2L, 4L);
        assertThat(storedOffsets()).containsExactly(5L, 6L);
        assertThat(writer.oldestUnwritten()).isEmpty();
    }

    @Test
    void aFailureFoundByAnOffsetCommitFailsTheCommitAndLeavesTheRewindToTheWorker() {
        StreamingWriter writer = writer(5);
        writer.add(rows(0, 7, 9));
        nextAnswer = new RetriableException("connection refused");

        assertThatThrownBy(writer::flush).isInstanceOf(RetriableException.class)
                .hasMessageContaining("connection refused").hasMessageContaining("last committed offsets");
        assertThat(rewinds).isEmpty();
        assertThat(writer.oldestUnwritten()).isEmpty();
        assertThat(writer.buffered()).isZero();

        writer.add(rows(0, 5, 9)); // the worker's re-read from its committed offset
        writer.flush();
        assertThat(storedOffsets()).containsExactly(5L, 6L, 7L, 8L);
    }

    @Test
    void aFailureThatRetryingCannotFixIsThrownAsIs() {
        StreamingWriter writer = writer(5);
        writer.add(rows(0, 0, 2));
        nextAnswer = new ConnectException("Code: 60, Table sink.t doesn't exist");
        assertThatThrownBy(writer::flush).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class).hasMessageContaining("doesn't exist");
        assertThat(rewinds).isEmpty();
    }

    @Test
    void revokedPartitionsAreLeftToTheirNewOwnerKeptOnesAreReadAgain() {
        StreamingWriter writer = writer(100);
        writer.add(Stream.concat(rows(0, 10, 12).stream(), rows(1, 20, 22).stream()).toList());

        writer.discard(List.of(P1));
        assertThat(inserts.get(0).aborted).isTrue();
        assertThat(rewinds).containsExactly(Map.of(P0, 10L));
        assertThat(writer.oldestUnwritten()).isEqualTo(Map.of(P0, 10L));
        assertThat(writer.buffered()).isZero();
    }

    @Test
    void aNewColumnListEndsTheOpenInsertAndOpensOneWithTheNewColumns() {
        StreamingWriter writer = writer(100);
        List<String> before = List.of("a");
        List<String> after = List.of("a", "b");
        writer.add(List.of(new Row("t", "topic", 0, 1, "{\"o\":1}".getBytes(StandardCharsets.UTF_8), before, null),
                new Row("t", "topic", 0, 2, "{\"o\":2}".getBytes(StandardCharsets.UTF_8), after, null)));
        assertThat(inserts).hasSize(2);
        assertThat(inserts.get(0).finished).isTrue();
        assertThat(inserts.get(0).rows).containsExactly(1L);
        assertThat(inserts.get(1).rows).containsExactly(2L);
    }
}
