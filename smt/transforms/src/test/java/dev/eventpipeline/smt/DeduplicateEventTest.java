package dev.eventpipeline.smt;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.schema.ErrorHeaders;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour that needs no Redis server: configuration, fail-open / fail-closed against a closed port. */
class DeduplicateEventTest {
    static DeduplicateEvent<SourceRecord> transform(int port, String mode) {
        DeduplicateEvent<SourceRecord> t = new DeduplicateEvent<>();
        t.configure(Map.of(DeduplicateEvent.REDIS_URL, "redis://127.0.0.1:" + port,
                DeduplicateEvent.REDIS_FAILURE_MODE, mode,
                DeduplicateEvent.REDIS_TIMEOUT_MS, "100",
                DeduplicateEvent.CONFIRM_MODE, "external"));
        return t;
    }

    @Test
    void failOpenPassesEventsWithoutAskingRedisAgainDuringTheBackoff() {
        int port = PortCheck.freePort();
        try (DeduplicateEvent<SourceRecord> t = transform(port, "open")) {
            for (int i = 0; i < 100; i++) {
                SourceRecord out = t.apply(ValidateEventTest.record(Examples.example("cart-viewed.json")));
                assertThat(out).isNotNull();
                assertThat(out.headers().lastWithName(ErrorHeaders.DEDUP_HASH)).isNotNull();
            }
            assertThat(t.counters()).containsEntry("fail.open.passed", 100L).containsEntry("redis.errors", 1L);
        }
    }

    @Test
    void failClosedThrowsARetriableException() {
        try (DeduplicateEvent<SourceRecord> t = transform(PortCheck.freePort(), "closed")) {
            assertThatThrownBy(() -> t.apply(ValidateEventTest.record(Examples.example("cart-viewed.json"))))
                    .isInstanceOf(RetriableException.class).hasMessageContaining("redis.failure.mode=closed");
        }
    }

    @Test
    void topicModeNeedsBootstrapServers() {
        DeduplicateEvent<SourceRecord> t = new DeduplicateEvent<>();
        assertThatThrownBy(() -> t.configure(Map.of(DeduplicateEvent.REDIS_URL, "redis://127.0.0.1:1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DeduplicateEvent.CONFIRM_BOOTSTRAP);
        assertThatThrownBy(() -> t.configure(Map.of(DeduplicateEvent.REDIS_URL, "http://x", DeduplicateEvent.CONFIRM_MODE, "external")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aTaskPremarkDecidesWithoutRedis() {
        // Redis is not even running: the decision comes from the headers the source task set.
        try (DeduplicateEvent<SourceRecord> t = transform(PortCheck.freePort(), "closed")) {
            SourceRecord confirmed = ValidateEventTest.record(Examples.example("cart-viewed.json"));
            confirmed.headers().addString(ErrorHeaders.DEDUP_HASH, "h1").addString(ErrorHeaders.DEDUP_MARK, "CONFIRMED");
            assertThat(t.apply(confirmed)).isNull();
            SourceRecord pending = ValidateEventTest.record(Examples.example("cart-viewed.json"));
            pending.headers().addString(ErrorHeaders.DEDUP_HASH, "h2").addString(ErrorHeaders.DEDUP_MARK, "PENDING");
            assertPassedWithoutPremark(t.apply(pending), pending);
            SourceRecord fresh = ValidateEventTest.record(Examples.example("cart-viewed.json"));
            fresh.headers().addString(ErrorHeaders.DEDUP_HASH, "h3").addString(ErrorHeaders.DEDUP_MARK, "NEW");
            assertPassedWithoutPremark(t.apply(fresh), fresh);
            assertThat(t.counters()).containsEntry("premarked", 3L).containsEntry("duplicates", 1L)
                    .containsEntry("pending.passed", 1L).containsEntry("redis.errors", 0L);
        }
    }

    /** A passed record keeps value, key, topic and other headers; the mark header is not written to Kafka. */
    private static void assertPassedWithoutPremark(SourceRecord out, SourceRecord in) {
        assertThat(out).isNotNull();
        assertThat(out.value()).isEqualTo(in.value());
        assertThat(out.key()).isEqualTo(in.key());
        assertThat(out.topic()).isEqualTo(in.topic());
        assertThat(out.headers().lastWithName(ErrorHeaders.DEDUP_MARK)).isNull();
        assertThat(out.headers().lastWithName(ErrorHeaders.DEDUP_HASH)).as("the topic confirmer reads it").isNotNull();
        assertThat(out.headers().size()).isEqualTo(in.headers().size() - 1);
    }

    @Test
    void confirmedCacheExpiresAndIsBounded() {
        ConfirmedCache c = new ConfirmedCache(2);
        c.put("a", 100);
        assertThat(c.contains("a", 99)).isTrue();
        assertThat(c.contains("a", 100)).isFalse();
        c.put("a", 100);
        c.put("b", 100);
        c.put("c", 100);
        assertThat(c.size()).isEqualTo(2);
        assertThat(new ConfirmedCache(0).contains("x", 0)).isFalse();
    }

    @Test
    void redisTtlAndKeySettingsAreDedupSettingsOwn() {
        // The source task's pre-mark reads these through DedupSettings too: same names, defaults and checks.
        Map<String, org.apache.kafka.common.config.ConfigDef.ConfigKey> shared =
                dev.eventpipeline.schema.dedup.DedupSettings.define(new org.apache.kafka.common.config.ConfigDef()).configKeys();
        assertThat(shared).hasSize(6);
        shared.forEach((name, key) -> {
            org.apache.kafka.common.config.ConfigDef.ConfigKey mine = DeduplicateEvent.CONFIG_DEF.configKeys().get(name);
            assertThat(mine).as(name).isNotNull();
            assertThat(mine.defaultValue).as(name).isEqualTo(key.defaultValue);
            assertThat(mine.type).as(name).isEqualTo(key.type);
            assertThat(String.valueOf(mine.validator)).as(name).isEqualTo(String.valueOf(key.validator));
        });
    }
}
