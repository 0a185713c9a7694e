package dev.eventpipeline.schema.dedup;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DedupSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        AbstractConfig c = DedupSettings.parse(Map.of(DedupSettings.REDIS_URL, "redis://127.0.0.1:6379"));
        assertThat(c.getInt(DedupSettings.REDIS_TIMEOUT_MS)).isEqualTo(250);
        assertThat(c.getLong(DedupSettings.REDIS_RETRY_BACKOFF_MS)).isEqualTo(1_000L);
        assertThat(c.getLong(DedupSettings.TTL_MS)).isEqualTo(3_600_000L);
        assertThat(c.getLong(DedupSettings.PENDING_TTL_MS)).isEqualTo(120_000L);
        assertThat(c.getString(DedupSettings.KEY_FIELD)).isEqualTo("eventId");
    }

    @Test
    void readsGivenValuesAndIgnoresOtherKeys() {
        AbstractConfig c = DedupSettings.parse(Map.of(DedupSettings.REDIS_URL, "redis://r:1", DedupSettings.TTL_MS, "5000",
                DedupSettings.PENDING_TTL_MS, "700", "confirm.mode", "external", "type", "x.Y"));
        assertThat(c.getLong(DedupSettings.TTL_MS)).isEqualTo(5_000L);
        assertThat(c.getLong(DedupSettings.PENDING_TTL_MS)).isEqualTo(700L);
    }

    @Test
    void checksValuesAsTheTransformDoes() {
        assertThatThrownBy(() -> DedupSettings.parse(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("redis.url");
        assertThatThrownBy(() -> DedupSettings.parse(Map.of(DedupSettings.REDIS_URL, "redis://r:1", DedupSettings.REDIS_TIMEOUT_MS, "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DedupSettings.REDIS_TIMEOUT_MS);
        assertThatThrownBy(() -> DedupSettings.parse(Map.of(DedupSettings.REDIS_URL, "redis://r:1", DedupSettings.TTL_MS, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DedupSettings.TTL_MS);
        AbstractConfig notRedis = DedupSettings.parse(Map.of(DedupSettings.REDIS_URL, "http://r:1"));
        assertThatThrownBy(() -> DedupSettings.store(notRedis)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be redis://host:port[/db]");
    }

    @Test
    void theStoreGetsTheTtls() {
        AbstractConfig c = DedupSettings.parse(Map.of(DedupSettings.REDIS_URL, "redis://127.0.0.1:1", DedupSettings.TTL_MS, "9000"));
        try (DedupStore store = DedupSettings.store(c)) {
            assertThat(store.confirmedTtlMs()).isEqualTo(9_000L);
            assertThat(store.pendingTtlMs()).isEqualTo(DedupSettings.PENDING_TTL_MS_DEFAULT);
        }
    }

    @Test
    void leavesGapsForTheTransformsOwnKeys() {
        ConfigDef def = DedupSettings.define(new ConfigDef());
        assertThat(def.configKeys().values()).extracting(k -> k.group + "/" + k.orderInGroup)
                .containsExactly("Redis/1", "Redis/2", "Redis/4", "De-duplication/1", "De-duplication/2", "De-duplication/3");
    }
}
