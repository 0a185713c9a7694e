package dev.eventpipeline.udfs.lookup;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GuardedSourceTest {
    @Test
    void anOutageYieldsNullAndTheFlagWithoutCallingPerEvent() throws Exception {
        InMemoryHashSource redis = new InMemoryHashSource().put("k", Map.of("a", "1"));
        GuardedSource guard = new GuardedSource(redis, 200);
        assertThat(guard.hgetAll("k")).containsEntry("a", "1");
        redis.setAvailable(false);
        assertThat(guard.hgetAll("k")).isNull();
        assertThat(guard.degraded()).isTrue();
        long calls = redis.calls();
        for (int i = 0; i < 100; i++) {
            assertThat(guard.hgetAll("k")).isNull();
        }
        assertThat(redis.calls()).isEqualTo(calls);
        redis.setAvailable(true);
        Thread.sleep(250);
        assertThat(guard.hgetAll("k")).containsEntry("a", "1");
        assertThat(guard.degraded()).isFalse();
    }

    @Test
    void cacheServesHitsAndMissesButNeverOutages() throws Exception {
        InMemoryHashSource redis = new InMemoryHashSource().put("k", Map.of("a", "1"));
        CachedLookup<Map<String, String>> cache = new CachedLookup<>(new GuardedSource(redis, 1), 100, 10, m -> m);
        assertThat(cache.get("k")).containsEntry("a", "1");
        assertThat(cache.get("missing")).isNull();
        cache.get("k");
        cache.get("missing");
        assertThat(redis.calls()).isEqualTo(2);
        Thread.sleep(150);
        redis.setAvailable(false);
        assertThat(cache.get("k")).isNull();
        Thread.sleep(5);
        redis.setAvailable(true);
        assertThat(cache.get("k")).containsEntry("a", "1");
    }

    @Test
    void boundedCache() {
        InMemoryHashSource redis = new InMemoryHashSource();
        CachedLookup<Map<String, String>> cache = new CachedLookup<>(new GuardedSource(redis, 1), 60_000, 10, m -> m);
        for (int i = 0; i < 100; i++) {
            cache.get("k" + i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void memoryUrlsAndNoUrl() {
        assertThat(Lookups.forConfig(new dev.eventpipeline.udfs.FunctionConfig(Map.of()))).isNull();
        GuardedSource a = Lookups.forConfig(new dev.eventpipeline.udfs.FunctionConfig(Map.of(
                dev.eventpipeline.udfs.FunctionConfig.REDIS_URL, "memory:t1")));
        assertThat(a.source()).isSameAs(Lookups.memory("t1"));
        assertThat(Lookups.forConfig(new dev.eventpipeline.udfs.FunctionConfig(Map.of(
                dev.eventpipeline.udfs.FunctionConfig.REDIS_URL, "memory:t1")))).isSameAs(a);
        Lookups.dropMemory("t1");
    }

    @Test
    void redisUrlsAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RedisHashSource("http://x", 100))
                .isInstanceOf(IllegalArgumentException.class);
        try (RedisHashSource s = new RedisHashSource("redis://:secret@127.0.0.1:1/2", 100)) {
            assertThat(s.toString()).isEqualTo("RedisHashSource[redis://127.0.0.1:1]");
        }
    }
}
