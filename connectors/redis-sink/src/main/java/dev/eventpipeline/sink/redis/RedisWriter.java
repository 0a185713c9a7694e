package dev.eventpipeline.sink.redis;

import java.util.List;

/** Executes commands in order, all or (on an exception) possibly some; writes are idempotent, so a retry is safe. */
interface RedisWriter extends AutoCloseable {
    void write(List<RedisCommand> commands);

    @Override
    void close();
}
