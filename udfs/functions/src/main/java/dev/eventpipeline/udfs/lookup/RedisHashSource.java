package dev.eventpipeline.udfs.lookup;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.util.Map;

/** Reads hashes from Redis with a small connection pool and bounded timeouts. */
public final class RedisHashSource implements HashSource {
    private final JedisPooled jedis;
    private final String url;

    public RedisHashSource(String url, int timeoutMs) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("redis.url must look like redis://host:port[/db], got " + url);
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs);
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
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
        this.jedis = new JedisPooled(new HostAndPort(uri.getHost(), port), config.build());
        this.url = uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }

    @Override
    public Map<String, String> hgetAll(String key) throws LookupUnavailableException {
        try {
            return jedis.hgetAll(key);
        } catch (JedisException e) {
            throw new LookupUnavailableException("Redis at " + url + " did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        jedis.close();
    }

    @Override
    public String toString() {
        return "RedisHashSource[" + url + "]";
    }
}
