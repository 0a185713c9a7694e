package dev.eventpipeline.sink.redis;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task against a real Redis: both modes, tombstones, an outage and the redelivered batch. */
@Tag("integration")
class RedisSinkTaskIT {
    @Test
    void writesHashesAndStringsAndSurvivesAnOutage() throws Exception {
        Path dir = Files.createTempDirectory("redis-sink-it");
        int port = PortCheck.freePort();
        RedisServer redis = RedisServer.start(dir, port);
        RedisSinkTask hash = new RedisSinkTask();
        RedisSinkTask string = new RedisSinkTask();
        try (JedisPooled jedis = new JedisPooled("127.0.0.1", port)) {
            hash.start(Map.of(RedisSinkConfig.URL, redis.url(), RedisSinkConfig.MODE, "hash",
                    RedisSinkConfig.KEY_PREFIX, "user_profile:", RedisSinkConfig.TIMEOUT_MS, "500"));
            string.start(Map.of(RedisSinkConfig.URL, redis.url(), RedisSinkConfig.KEY_PREFIX, "s:"));
            hash.put(List.of(
                    new SinkRecord("user-profile-last-seen", 0, null, "u-1", null, "{\"lastSeen\":\"2026-11-27T08:00:00Z\"}", 0),
                    new SinkRecord("user-profile-purchases", 0, null, "u-1", null,
                            "{\"purchaseCount\":1,\"lastPurchaseAt\":\"2026-11-27T08:04:00Z\"}", 0)));
            string.put(List.of(new SinkRecord("t", 0, null, "a", null, "hello", 0)));
            assertThat(jedis.hgetAll("user_profile:u-1")).isEqualTo(Map.of("lastSeen", "2026-11-27T08:00:00Z",
                    "purchaseCount", "1", "lastPurchaseAt", "2026-11-27T08:04:00Z"));
            assertThat(jedis.get("s:a")).isEqualTo("hello");

            redis.kill();
            List<SinkRecord> batch = List.of(new SinkRecord("user-profile-purchases", 0, null, "u-1", null,
                    "{\"purchaseCount\":2,\"lastPurchaseAt\":\"2026-11-28T08:00:00Z\"}", 1));
            assertThatThrownBy(() -> hash.put(batch)).isInstanceOf(RetriableException.class);
            redis = RedisServer.start(dir, port);
            hash.put(batch); // what Connect does after a RetriableException
            try (JedisPooled fresh = new JedisPooled("127.0.0.1", port)) { // the old pool's connections died with the server
                assertThat(fresh.hget("user_profile:u-1", "purchaseCount")).isEqualTo("2");
                hash.put(List.of(new SinkRecord("user-profile-purchases", 0, null, "u-1", null, null, 2)));
                assertThat(fresh.exists("user_profile:u-1")).isFalse();
            }
        } finally {
            hash.stop();
            string.stop();
            redis.close();
        }
    }
}
