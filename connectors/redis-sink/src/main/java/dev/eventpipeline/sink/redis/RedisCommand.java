package dev.eventpipeline.sink.redis;

import java.util.List;
import java.util.Map;

/** One write derived from one record; a record maps to one or two commands. */
sealed interface RedisCommand {
    String key();

    record Set(String key, String value) implements RedisCommand {
    }

    record HSet(String key, Map<String, String> fields) implements RedisCommand {
    }

    record HDel(String key, List<String> fields) implements RedisCommand {
    }

    record Del(String key) implements RedisCommand {
    }
}
