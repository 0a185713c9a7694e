package dev.eventpipeline.sink.redis;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.util.List;

/** One pipeline per batch against a pooled Jedis connection. */
final class JedisWriter implements RedisWriter {
    private final JedisPooled jedis;

    JedisWriter(String url, int timeoutMs) {
        URI uri = URI.create(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(timeoutMs);
        if (uri.getPath() != null && uri.getPath().length() > 1) {
            config.database(Integer.parseInt(uri.getPath().substring(1)));
        }
        if (uri.getUserInfo() != null) {
            String[] userPass = uri.getUserInfo().split(":", 2);
            if (userPass.length == 2) {
                if (!userPass[0].isEmpty()) {
                    config.user(userPass[0]);
                }
                config.password(userPass[1]);
            } else {
                config.password(userPass[0]);
            }
        }
        jedis = new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), config.build());
    }

    @Override
    public void write(List<RedisCommand> commands) {
        if (commands.isEmpty()) {
            return;
        }
        try (AbstractPipeline p = jedis.pipelined()) {
            for (RedisCommand c : commands) {
                if (c instanceof RedisCommand.Set s) {
                    p.set(s.key(), s.value());
                } else if (c instanceof RedisCommand.HSet h) {
                    p.hset(h.key(), h.fields());
                } else if (c instanceof RedisCommand.HDel h) {
                    p.hdel(h.key(), h.fields().toArray(String[]::new));
                } else if (c instanceof RedisCommand.Del d) {
                    p.del(d.key());
                }
            }
            p.sync();
        }
    }

    @Override
    public void close() {
        jedis.close();
    }
}
