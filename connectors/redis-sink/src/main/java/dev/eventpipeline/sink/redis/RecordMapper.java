package dev.eventpipeline.sink.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.JsonMapper;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a record into Redis commands; a record that cannot be written throws {@link DataException}. */
final class RecordMapper {
    private static final ObjectMapper JSON = JsonMapper.get();

    private final RedisSinkConfig.Mode mode;
    private final String prefix;

    RecordMapper(RedisSinkConfig.Mode mode, String prefix) {
        this.mode = mode;
        this.prefix = prefix;
    }

    List<RedisCommand> map(SinkRecord record) {
        Object key = record.key();
        if (key == null) {
            throw new DataException("record has no key; the Redis key is <prefix><record key>");
        }
        String redisKey = prefix + (key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : key.toString());
        Object value = record.value();
        if (value == null) {
            return List.of(new RedisCommand.Del(redisKey));
        }
        if (mode == RedisSinkConfig.Mode.STRING) {
            return List.of(new RedisCommand.Set(redisKey, text(value)));
        }
        Map<String, String> set = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        for (Map.Entry<String, Object> e : fields(value).entrySet()) {
            if (e.getValue() == null) {
                delete.add(e.getKey());
            } else {
                set.put(e.getKey(), text(e.getValue()));
            }
        }
        List<RedisCommand> commands = new ArrayList<>(2);
        if (!set.isEmpty()) {
            commands.add(new RedisCommand.HSet(redisKey, set));
        }
        if (!delete.isEmpty()) {
            commands.add(new RedisCommand.HDel(redisKey, delete));
        }
        return commands;
    }

    private static Map<String, Object> fields(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Struct s) {
            for (Field f : s.schema().fields()) {
                out.put(f.name(), s.get(f));
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        JsonNode node;
        try {
            node = value instanceof byte[] b ? JSON.readTree(b) : value instanceof String s ? JSON.readTree(s) : null;
        } catch (IOException e) {
            throw new DataException("hash mode needs a JSON object value: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DataException("hash mode needs a JSON object, Map or Struct value, got "
                    + (node == null ? value.getClass().getSimpleName() : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue()));
        return out;
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (value instanceof JsonNode n) {
            return n.isValueNode() ? n.asText() : n.toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        try {
            if (value instanceof Struct s) {
                return JSON.writeValueAsString(fields(s));
            }
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new DataException("cannot write " + value.getClass() + " as JSON: " + e.getMessage());
        }
    }
}
