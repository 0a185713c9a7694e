package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.ingest.TestEvents;
import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.ingest.record.EventRecordFactory;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DedupPreMarkerTest {
    private final EventRecordFactory records = new EventRecordFactory("raw", "127.0.0.1:1", "t-0");

    private TrackedRecord record(String eventId) {
        String json = TestEvents.event(eventId);
        return records.create(new ReceivedEvent(TestEvents.envelope(json), json, 1L, ReceivedEvent.HTTP), o -> { }, 0, 1_000_000);
    }

    @Test
    void marksTheWholeBatchInOneCallAndTellsTheTransformThroughHeaders() {
        List<List<String>> calls = new ArrayList<>();
        DedupPreMarker hook = new DedupPreMarker((hashes, ids) -> {
            calls.add(ids);
            return ids.stream().map(id -> id.equals("b") ? DedupStore.Mark.CONFIRMED : DedupStore.Mark.NEW).toList();
        }, 1_000);
        List<SourceRecord> batch = List.of(record("a"), record("b"), record("c"));
        hook.beforeSend(batch);
        assertThat(calls).containsExactly(List.of("a", "b", "c"));
        assertThat(batch).extracting(r -> r.headers().lastWithName(ErrorHeaders.DEDUP_MARK).value())
                .containsExactly("NEW", "CONFIRMED", "NEW");
        assertThat(batch.get(1).headers().lastWithName(ErrorHeaders.DEDUP_HASH).value()).isEqualTo(DedupKeys.hashOfId("b"));
    }

    @Test
    void aRedisFailureLeavesTheBatchUnmarkedAndPausesForTheBackoff() {
        AtomicInteger calls = new AtomicInteger();
        DedupPreMarker hook = new DedupPreMarker((hashes, ids) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("connection refused");
        }, 60_000);
        List<SourceRecord> first = List.of(record("a"));
        hook.beforeSend(first);
        hook.beforeSend(List.of(record("b")));
        assertThat(first.get(0).headers().lastWithName(ErrorHeaders.DEDUP_MARK)).as("the transform decides itself").isNull();
        assertThat(calls).as("no second try within the backoff").hasValue(1);
    }

    @Test
    void readsRedisAndKeyFromTheConnectorsDeduplicateTransform() {
        Map<String, String> config = Map.of("transforms", "validate,dedup",
                "transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent",
                "transforms.dedup.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.dedup.redis.url", "redis://127.0.0.1:1");
        assertThat(DedupPreMarker.transformPrefix(config)).isEqualTo("transforms.dedup.");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms", "validate",
                "transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a DeduplicateEvent transform");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.d.redis.url", "redis://127.0.0.1:1", "transforms.d.dedup.key.field", "sessionId")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keys events by eventId");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis.url");
    }

    @Test
    void checksTheTransformsSettingsWithTheTransformsOwnDefinitions() {
        // DedupSettings: what DeduplicateEvent refuses, the pre-mark refuses too, naming the key.
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.d.redis.url", "redis://127.0.0.1:1", "transforms.d.redis.timeout.ms", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transforms.d.").hasMessageContaining("redis.timeout.ms");
        assertThatThrownBy(() -> new DedupPreMarker().configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS,
                "transforms.d.redis.url", "localhost:6379")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be redis://");
        DedupPreMarker ok = new DedupPreMarker();
        ok.configure(Map.of("transforms.d.type", DedupPreMarker.TRANSFORM_CLASS, "transforms.d.redis.url", "redis://127.0.0.1:1",
                "transforms.d.redis.retry.backoff.ms", "7"));
        ok.close();
    }
}
