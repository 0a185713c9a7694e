package dev.eventpipeline.sink.redis;

import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisSinkTaskTest {
    static SinkRecord record(Object key, Object value) {
        return new SinkRecord("t", 0, null, key, null, value, 7);
    }

    static final class RecordingWriter implements RedisWriter {
        final List<RedisCommand> written = new ArrayList<>();
        boolean down;

        @Override
        public void write(List<RedisCommand> commands) {
            if (down) {
                throw new JedisConnectionException("connection refused");
            }
            written.addAll(commands);
        }

        @Override
        public void close() {
        }
    }

    static RedisSinkTask task(RecordingWriter writer, String mode) {
        RedisSinkTask task = new RedisSinkTask(c -> writer);
        task.start(Map.of(RedisSinkConfig.URL, "redis://127.0.0.1:6379", RedisSinkConfig.MODE, mode,
                RedisSinkConfig.KEY_PREFIX, "user_profile:"));
        return task;
    }

    @Test
    void hashModeWritesFieldsAndRemovesNullFields() {
        RecordingWriter w = new RecordingWriter();
        task(w, "hash").put(List.of(
                record("u-1", "{\"purchaseCount\":2,\"lastPurchaseAt\":null,\"prefs\":{\"a\":true},\"ok\":true}"),
                record("u-2", Map.of("lastSeen", "2026-11-27T08:00:00Z")),
                record("u-3", null)));
        Map<String, String> fields = new HashMap<>();
        fields.put("purchaseCount", "2");
        fields.put("prefs", "{\"a\":true}");
        fields.put("ok", "true");
        assertThat(w.written).containsExactly(
                new RedisCommand.HSet("user_profile:u-1", fields),
                new RedisCommand.HDel("user_profile:u-1", List.of("lastPurchaseAt")),
                new RedisCommand.HSet("user_profile:u-2", Map.of("lastSeen", "2026-11-27T08:00:00Z")),
                new RedisCommand.Del("user_profile:u-3"));
    }

    @Test
    void hashModeTakesStructs() {
        Schema schema = SchemaBuilder.struct().field("a", Schema.STRING_SCHEMA).field("b", Schema.OPTIONAL_INT64_SCHEMA).build();
        RecordingWriter w = new RecordingWriter();
        task(w, "HASH").put(List.of(new SinkRecord("t", 0, Schema.STRING_SCHEMA, "k", schema,
                new Struct(schema).put("a", "x").put("b", 5L), 1)));
        assertThat(w.written).containsExactly(new RedisCommand.HSet("user_profile:k", Map.of("a", "x", "b", "5")));
    }

    @Test
    void stringModeSetsTheValue() {
        RecordingWriter w = new RecordingWriter();
        task(w, "string").put(List.of(record("k", "v"), record(42, Map.of("a", 1)), record("k", null)));
        assertThat(w.written).containsExactly(new RedisCommand.Set("user_profile:k", "v"),
                new RedisCommand.Set("user_profile:42", "{\"a\":1}"), new RedisCommand.Del("user_profile:k"));
    }

    @Test
    void outagesAreRetriable() {
        RecordingWriter w = new RecordingWriter();
        w.down = true;
        RedisSinkTask task = task(w, "hash");
        assertThatThrownBy(() -> task.put(List.of(record("u", "{\"a\":1}")))).isInstanceOf(RetriableException.class);
    }

    @Test
    void badRecordsFailTheTaskWithoutAnErrantRecordReporter() {
        RecordingWriter w = new RecordingWriter();
        RedisSinkTask task = task(w, "hash");
        assertThatThrownBy(() -> task.put(List.of(record(null, "{\"a\":1}")))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("no key");
        assertThatThrownBy(() -> task.put(List.of(record("k", "[1,2]")))).hasMessageContaining("got array");
        assertThatThrownBy(() -> task.put(List.of(record("k", "{oops")))).hasMessageContaining("JSON object");
        assertThat(w.written).isEmpty();
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> new RedisSinkConfig(Map.of(RedisSinkConfig.URL, "http://x"))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new RedisSinkConfig(Map.of(RedisSinkConfig.URL, "redis://x:1", RedisSinkConfig.MODE, "list")))
                .isInstanceOf(ConfigException.class);
        assertThat(new RedisSinkConfig(Map.of(RedisSinkConfig.URL, "redis://x:1")).mode()).isEqualTo(RedisSinkConfig.Mode.STRING);
        RedisSinkConnector connector = new RedisSinkConnector();
        connector.start(Map.of(RedisSinkConfig.URL, "redis://x:1"));
        assertThat(connector.taskConfigs(2)).hasSize(2);
        assertThat(connector.version()).doesNotContain("${");
    }

    @Test
    void readmeConfigReferenceIsCurrent() throws Exception {
        assertThat(ConfigReference.isCurrent(Path.of("README.md"), RedisSinkConfig.CONFIG))
                .as("connectors/redis-sink/README.md is stale: mvn -pl connectors/redis-sink exec:java@config-reference").isTrue();
    }
}
