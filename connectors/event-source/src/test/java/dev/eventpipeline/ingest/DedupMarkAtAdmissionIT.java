package dev.eventpipeline.ingest;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.eventpipeline.ingest.TestEvents.event;
import static dev.eventpipeline.ingest.TestEvents.json;
import static dev.eventpipeline.ingest.TestEvents.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The de-duplication pre-mark of the real task against a real Redis, with Connect's part played by hand:
 * events are marked when the listener admits them (before any poll), poll only collects the marks, and an
 * event marked at admission but never written leaves a pending mark that lets the client's retry through.
 */
@Tag("integration")
class DedupMarkAtAdmissionIT {
    @TempDir
    static Path dir;
    static RedisServer redis;
    static DedupStore marks;
    private EventSourceTask task;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"), PortCheck.freePort());
        marks = new DedupStore(redis.url(), 1_000, 60_000, 60_000);
    }

    @AfterAll
    static void stopRedis() {
        if (marks != null) {
            marks.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private EventSourceTask startTask(long ackTimeoutMs) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "event-source");
        props.put(EventSourceTask.TASK_ID, "0");
        props.put("listener.host", "127.0.0.1");
        props.put("listener.port", "0");
        props.put("ack.timeout.ms", String.valueOf(ackTimeoutMs));
        props.put("transforms", "dedup");
        props.put("transforms.dedup.type", "dev.eventpipeline.smt.DeduplicateEvent");
        props.put("transforms.dedup.redis.url", redis.url());
        props.put("poll.batch.hook.class", "dev.eventpipeline.ingest.hooks.DedupPreMarker");
        EventSourceTask t = new EventSourceTask();
        t.initialize(new EventSourceTaskTest.FakeContext(props));
        t.start(props);
        return t;
    }

    private static SourceRecord pollOne(EventSourceTask task) {
        List<SourceRecord> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
            return !records.isEmpty();
        });
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String mark(SourceRecord record) {
        Header h = record.headers().lastWithName(ErrorHeaders.DEDUP_MARK);
        return h == null ? null : String.valueOf(h.value());
    }

    private static RecordMetadata validated(long offset) {
        return new RecordMetadata(new TopicPartition(Topics.VALIDATED, 0), offset, 0, System.currentTimeMillis(), -1, -1);
    }

    private static String status(CompletableFuture<HttpResponse<String>> response) throws Exception {
        return json(response.get(10, TimeUnit.SECONDS).body()).path("status").asText();
    }

    @Test
    void anEventMarkedAtAdmissionButNotWrittenIsWrittenWhenTheClientRetries() throws Exception {
        task = startTask(1_500);
        String eventId = "adm-" + System.nanoTime();
        String hash = DedupKeys.hashOfId(eventId);

        // First attempt: marked at admission, before any poll; never handed to Kafka (ack timeout).
        CompletableFuture<HttpResponse<String>> first = post(task.boundPort(), event(eventId));
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(marks.get(hash)).contains("pending"));
        assertThat(status(first)).isEqualTo("failed");
        await("withdrawn: never written").atMost(Duration.ofSeconds(5)).until(() -> task.queued() == 0);

        // The retry finds only a pending mark: DeduplicateEvent lets it through, Kafka has it, the client is told so.
        CompletableFuture<HttpResponse<String>> retry = post(task.boundPort(), event(eventId));
        SourceRecord written = pollOne(task);
        assertThat(mark(written)).isEqualTo("PENDING");
        task.commitRecord(written, validated(7));
        assertThat(status(retry)).isEqualTo("accepted");

        // Once the write is confirmed, a further copy is marked a duplicate.
        marks.confirmAll(List.of(new DedupStore.Confirmation(hash, eventId)));
        CompletableFuture<HttpResponse<String>> copy = post(task.boundPort(), event(eventId));
        SourceRecord duplicate = pollOne(task);
        assertThat(mark(duplicate)).isEqualTo("CONFIRMED");
        task.commitRecord(duplicate, null); // the transform filtered it
        assertThat(status(copy)).isEqualTo("duplicate");
    }

    @Test
    void aFreshEventIsMarkedNewAndStopEndsTheMarkingThread() throws Exception {
        task = startTask(30_000);
        String eventId = "fresh-" + System.nanoTime();
        CompletableFuture<HttpResponse<String>> response = post(task.boundPort(), event(eventId));
        SourceRecord record = pollOne(task);
        assertThat(mark(record)).isEqualTo("NEW");
        assertThat(record.headers().lastWithName(ErrorHeaders.DEDUP_HASH).value()).isEqualTo(DedupKeys.hashOfId(eventId));
        task.commitRecord(record, validated(1));
        assertThat(status(response)).isEqualTo("accepted");

        task.stop();
        task = null;
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("event-source-0-dedup-premark");
    }
}
