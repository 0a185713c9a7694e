package dev.eventpipeline.schema.dedup;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Two-step de-duplication marks in Redis: {@code event_dedup:{hash}} → {@code {"eventId":…,
 * "timestamp":…,"state":"pending"|"confirmed"}}.
 *
 * <ol>
 *   <li>{@link #mark}: before the Kafka write. One round trip ({@code SET key pending NX GET PX
 *       pendingTtl}, Redis ≥ 7.0): {@link Mark#NEW} when there was no mark (a pending mark with a
 *       short TTL is now set), {@link Mark#PENDING} when an earlier attempt is marked but not confirmed,
 *       {@link Mark#CONFIRMED} when an earlier attempt was durably written. Only CONFIRMED is a
 *       duplicate: a pending mark never makes a retry be dropped, so a failed write costs at most one
 *       extra copy downstream (at-least-once), never the event.</li>
 *   <li>{@link #confirm}: after Kafka acknowledged the write: the mark becomes confirmed with the full
 *       TTL (1 h by default).</li>
 * </ol>
 * Thread-safe (connection pool); reconnects by itself. Connection problems surface as
 * {@link redis.clients.jedis.exceptions.JedisException}.
 */
public final class DedupStore implements AutoCloseable {
    /** What {@link #mark} found. */
    public enum Mark {
        /** First attempt seen: a pending mark was set. */
        NEW,
        /** An earlier attempt is marked but not confirmed (in flight, or its write failed): let it through. */
        PENDING,
        /** An earlier attempt was written to Kafka: a duplicate. */
        CONFIRMED
    }

    private static final String CONFIRMED_STATE = "\"state\":\"confirmed\"";

    private final JedisPooled jedis;
    private final HostAndPort address;
    private final DefaultJedisClientConfig clientConfig;
    /** Dedicated connection for {@link #mark}: the per-event path skips the pool's borrow/return. */
    private redis.clients.jedis.Jedis markConnection; // guarded by this
    private final long pendingTtlMs;
    private final long confirmedTtlMs;

    /**
     * @param redisUrl       {@code redis://host:port[/db]}
     * @param timeoutMs      connect and socket timeout
     * @param pendingTtlMs   TTL of a pending mark (longer than the longest write + confirm)
     * @param confirmedTtlMs TTL of a confirmed mark (the de-duplication window, 1 h by default)
     */
    public DedupStore(String redisUrl, int timeoutMs, long pendingTtlMs, long confirmedTtlMs) {
        URI uri = URI.create(redisUrl);
        int db = 0;
        if (uri.getPath() != null && uri.getPath().length() > 1) {
            db = Integer.parseInt(uri.getPath().substring(1));
        }
        DefaultJedisClientConfig.Builder cfg = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs)
                .database(db)
                .clientName("event-pipeline-dedup");
        if (uri.getUserInfo() != null) {
            String[] ui = uri.getUserInfo().split(":", 2);
            if (ui.length == 2) {
                if (!ui[0].isEmpty()) {
                    cfg.user(ui[0]);
                }
                cfg.password(ui[1]);
            } else {
                cfg.password(ui[0]);
            }
        }
        this.address = new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        this.clientConfig = cfg.build();
        this.jedis = new JedisPooled(address, clientConfig);
        this.pendingTtlMs = pendingTtlMs;
        this.confirmedTtlMs = confirmedTtlMs;
    }

    /** Step 1, before the write: one round trip. */
    public synchronized Mark mark(String hash, String eventId) {
        try {
            if (markConnection == null) {
                markConnection = new redis.clients.jedis.Jedis(address, clientConfig);
            }
            String previous = markConnection.setGet(DedupKeys.redisKey(hash), value(eventId, "pending"),
                    SetParams.setParams().nx().px(pendingTtlMs));
            return classify(previous);
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            closeMarkConnection(); // reconnect at the next call
            throw e;
        }
    }

    private synchronized void closeMarkConnection() {
        if (markConnection != null) {
            try {
                markConnection.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
            markConnection = null;
        }
    }

    /** {@link #mark} for many events in one pipelined round trip (results in order). */
    public List<Mark> markAll(List<String> hashes, List<String> eventIds) {
        List<Response<String>> responses = new ArrayList<>(hashes.size());
        try (Pipeline p = jedis.pipelined()) {
            for (int i = 0; i < hashes.size(); i++) {
                responses.add(p.setGet(DedupKeys.redisKey(hashes.get(i)), value(eventIds.get(i), "pending"),
                        SetParams.setParams().nx().px(pendingTtlMs)));
            }
            p.sync();
        }
        List<Mark> out = new ArrayList<>(responses.size());
        responses.forEach(r -> out.add(classify(r.get())));
        return out;
    }

    /** Step 2, after Kafka acknowledged the write: the mark becomes confirmed for the full TTL. */
    public void confirm(String hash, String eventId) {
        jedis.set(DedupKeys.redisKey(hash), value(eventId, "confirmed"), SetParams.setParams().px(confirmedTtlMs));
    }

    /** One confirmation: the hash and the eventId (may be null when the event had none). */
    public record Confirmation(String hash, String eventId) {
    }

    /** {@link #confirm} for many events in one pipelined round trip. */
    public void confirmAll(Collection<Confirmation> confirmations) {
        if (confirmations.isEmpty()) {
            return;
        }
        try (Pipeline p = jedis.pipelined()) {
            for (Confirmation c : confirmations) {
                p.set(DedupKeys.redisKey(c.hash()), value(c.eventId(), "confirmed"), SetParams.setParams().px(confirmedTtlMs));
            }
            p.sync();
        }
    }

    /** Removes a mark (tests, operators). */
    public void forget(String hash) {
        jedis.del(DedupKeys.redisKey(hash));
    }

    /** The raw mark value, or null. */
    public String get(String hash) {
        return jedis.get(DedupKeys.redisKey(hash));
    }

    /** Remaining TTL of the mark in ms (-2 absent). */
    public long ttlMs(String hash) {
        return jedis.pttl(DedupKeys.redisKey(hash));
    }

    public boolean ping() {
        try {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    public long pendingTtlMs() {
        return pendingTtlMs;
    }

    public long confirmedTtlMs() {
        return confirmedTtlMs;
    }

    private static Mark classify(String previous) {
        if (previous == null) {
            return Mark.NEW;
        }
        return previous.contains(CONFIRMED_STATE) ? Mark.CONFIRMED : Mark.PENDING;
    }

    static String value(String eventId, String state) {
        StringBuilder sb = new StringBuilder(96).append("{\"eventId\":");
        if (eventId == null) {
            sb.append("null");
        } else {
            sb.append('"');
            JsonStringEncoder.getInstance().quoteAsString(eventId, sb);
            sb.append('"');
        }
        return sb.append(",\"timestamp\":").append(System.currentTimeMillis())
                .append(",\"state\":\"").append(state).append("\"}").toString();
    }

    @Override
    public void close() {
        closeMarkConnection();
        jedis.close();
    }
}
