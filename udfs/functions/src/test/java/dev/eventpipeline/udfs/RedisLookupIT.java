package dev.eventpipeline.udfs;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.udfs.ksql.ProcessingMetaUdf;
import dev.eventpipeline.udfs.ksql.UserProfileUdf;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** USER_PROFILE against a real Redis, through an outage and back. */
@Tag("integration")
class RedisLookupIT {
    @Test
    void readsRedisDegradesOnOutageAndRecovers() throws Exception {
        Path dir = Files.createTempDirectory("redis-lookup-it");
        int port = PortCheck.freePort();
        Map<String, Object> config = Map.of(FunctionConfig.REDIS_URL, "redis://127.0.0.1:" + port,
                FunctionConfig.REDIS_TIMEOUT_MS, "200", FunctionConfig.REDIS_RETRY_BACKOFF_MS, "300",
                FunctionConfig.key(UserProfileUdf.NAME, FunctionConfig.CACHE_TTL_MS), "100");
        UserProfileUdf user = new UserProfileUdf();
        ProcessingMetaUdf meta = new ProcessingMetaUdf();
        RedisServer redis = RedisServer.start(dir, port);
        try {
            try (JedisPooled jedis = new JedisPooled("127.0.0.1", port)) {
                jedis.hset("user_profile:u-1", Map.of("purchaseCount", "7", "lastSeen", "2026-11-27T08:00:00Z"));
            }
            user.configure(config);
            meta.configure(config);
            Struct profile = user.userProfile("u-1");
            assertThat(profile.getInt64("purchaseCount")).isEqualTo(7L);
            assertThat(meta.processingMeta().getBoolean("redisDegraded")).isFalse();

            redis.kill();
            Thread.sleep(150); // past the cache TTL
            long start = System.nanoTime();
            assertThat(user.userProfile("u-1")).isNull();
            assertThat(meta.processingMeta().getBoolean("redisDegraded")).isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(user.userProfile("u-1")).isNull();
            }
            // one timeout per back-off period, not one per event
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);

            redis = RedisServer.start(dir, port);
            try (JedisPooled jedis = new JedisPooled("127.0.0.1", port)) {
                jedis.hset("user_profile:u-1", Map.of("purchaseCount", "8"));
            }
            Thread.sleep(400);
            assertThat(user.userProfile("u-1").getInt64("purchaseCount")).isEqualTo(8L);
            assertThat(meta.processingMeta().getBoolean("redisDegraded")).isFalse();
        } finally {
            redis.close();
        }
    }
}
