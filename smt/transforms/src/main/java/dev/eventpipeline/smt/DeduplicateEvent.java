package dev.eventpipeline.smt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.schema.ErrorHeaders;
import dev.eventpipeline.schema.dedup.DedupKeys;
import dev.eventpipeline.schema.dedup.DedupSettings;
import dev.eventpipeline.schema.dedup.DedupStore;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Filters events already written within the de-duplication window, with a two-step Redis mark
 * ({@link DedupStore}): a short-TTL <em>pending</em> mark before the write, <em>confirmed</em> (1 h)
 * only after Kafka acknowledged it. Only a confirmed mark filters; a pending one lets the event
 * through, so a retry of a failed write is never dropped.
 *
 * <p>Confirmation ({@code confirm.mode}): {@code topic} (default) — this transform tails the topic
 * its records are written to and confirms what it finds there; {@code external} — the source task
 * calls {@link DedupStore#confirm} from {@code commitRecord} (see the README).
 *
 * <p>Redis unavailable: {@code redis.failure.mode=open} (default) passes events (counted, warned),
 * {@code closed} throws a {@link RetriableException} (Connect retries for {@code errors.retry.timeout},
 * then the task fails and its waiting clients are answered {@code failed}). After a failure Redis is
 * not asked again for {@code redis.retry.backoff.ms}, so an outage does not cost a timeout per event;
 * the connection pool reconnects by itself.
 */
public class DeduplicateEvent<R extends ConnectRecord<R>> implements Transformation<R> {
    private static final Logger log = LoggerFactory.getLogger(DeduplicateEvent.class);

    // Redis, TTL and key settings: defined with the store (DedupSettings), shared with the source task's pre-mark.
    public static final String REDIS_URL = DedupSettings.REDIS_URL;
    public static final String REDIS_TIMEOUT_MS = DedupSettings.REDIS_TIMEOUT_MS;
    public static final String REDIS_FAILURE_MODE = "redis.failure.mode";
    public static final String REDIS_RETRY_BACKOFF_MS = DedupSettings.REDIS_RETRY_BACKOFF_MS;
    public static final String TTL_MS = DedupSettings.TTL_MS;
    public static final String PENDING_TTL_MS = DedupSettings.PENDING_TTL_MS;
    public static final String KEY_FIELD = DedupSettings.KEY_FIELD;
    public static final String LOCAL_CACHE_MAX = "dedup.local.cache.max.entries";
    public static final String CONFIRM_MODE = "confirm.mode";
    public static final String CONFIRM_BOOTSTRAP = "confirm.bootstrap.servers";
    public static final String CONFIRM_TOPIC = "confirm.topic";
    public static final String CONFIRM_CLIENT_PREFIX = "confirm.client.";

    private static final String GROUP_REDIS = DedupSettings.GROUP_REDIS;
    private static final String GROUP_DEDUP = DedupSettings.GROUP_DEDUP;
    private static final String GROUP_CONFIRM = "Confirmation";

    public static final ConfigDef CONFIG_DEF = DedupSettings.define(new ConfigDef())
            .define(REDIS_FAILURE_MODE, ConfigDef.Type.STRING, "open", ConfigDef.CaseInsensitiveValidString.in("open", "closed"),
                    ConfigDef.Importance.HIGH, "Redis unavailable: open = pass the event (counted, logged; duplicates may get through), closed = throw a RetriableException (Connect retries for errors.retry.timeout, then the task fails and clients are told failed).",
                    GROUP_REDIS, 3, ConfigDef.Width.SHORT, "Failure mode")
            .define(LOCAL_CACHE_MAX, ConfigDef.Type.INT, 100_000, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW, "Confirmed hashes kept in memory (LRU, expiring with the TTL) so repeated duplicates skip Redis; 0 disables.",
                    GROUP_DEDUP, 4, ConfigDef.Width.SHORT, "Local cache")
            .define(CONFIRM_MODE, ConfigDef.Type.STRING, "topic", ConfigDef.CaseInsensitiveValidString.in("topic", "external"),
                    ConfigDef.Importance.HIGH, "Who confirms marks after the write: topic = this transform, by tailing confirm.topic; external = the source task calls DedupStore.confirm after commitRecord (then confirm.* is unused).",
                    GROUP_CONFIRM, 1, ConfigDef.Width.SHORT, "Confirm mode")
            .define(CONFIRM_BOOTSTRAP, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                    "Kafka bootstrap servers of confirm.topic (required with confirm.mode=topic).",
                    GROUP_CONFIRM, 2, ConfigDef.Width.LONG, "Confirm Kafka")
            .define(CONFIRM_TOPIC, ConfigDef.Type.STRING, Topics.VALIDATED, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.MEDIUM, "Topic the de-duplicated records are written to; records found there get their mark confirmed.",
                    GROUP_CONFIRM, 3, ConfigDef.Width.MEDIUM, "Confirm topic");

    private DedupStore store;
    private ConfirmedCache cache;
    private TopicConfirmer confirmer;
    private String keyField;
    private boolean failOpen;
    private long retryBackoffMs;
    private long ttlMs;
    private LongSupplier clock = System::currentTimeMillis;
    private volatile long redisDownUntil;
    private volatile long lastWarn;

    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong localHits = new AtomicLong();
    private final AtomicLong pendingPassed = new AtomicLong();
    private final AtomicLong failOpenPassed = new AtomicLong();
    private final AtomicLong redisErrors = new AtomicLong();
    private final AtomicLong premarked = new AtomicLong();

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig c = new AbstractConfig(CONFIG_DEF, configs);
        keyField = c.getString(KEY_FIELD);
        failOpen = "open".equalsIgnoreCase(c.getString(REDIS_FAILURE_MODE));
        retryBackoffMs = c.getLong(REDIS_RETRY_BACKOFF_MS);
        ttlMs = c.getLong(TTL_MS);
        String redisUrl = c.getString(REDIS_URL);
        store = DedupSettings.store(c); // checks the URL
        cache = new ConfirmedCache(c.getInt(LOCAL_CACHE_MAX));
        if ("topic".equalsIgnoreCase(c.getString(CONFIRM_MODE))) {
            String bootstrap = c.getString(CONFIRM_BOOTSTRAP);
            if (bootstrap.isBlank()) {
                store.close();
                throw new ConfigException(CONFIRM_BOOTSTRAP, bootstrap, "required with confirm.mode=topic");
            }
            Map<String, Object> clientProps = new HashMap<>(c.originalsWithPrefix(CONFIRM_CLIENT_PREFIX));
            try {
                confirmer = new TopicConfirmer(bootstrap, c.getString(CONFIRM_TOPIC), clientProps, store, cache, () -> clock.getAsLong());
            } catch (RuntimeException e) {
                store.close();
                throw new ConfigException("DeduplicateEvent cannot follow " + c.getString(CONFIRM_TOPIC) + ": " + e.getMessage());
            }
        }
        if (!store.ping()) {
            log.warn("DeduplicateEvent: Redis at {} does not answer now (failure mode {}); continuing", redisUrl,
                    failOpen ? "open" : "closed");
        }
        log.info("DeduplicateEvent: window {} ms, key field {}, confirm mode {}, Redis failure mode {}",
                ttlMs, keyField, c.getString(CONFIRM_MODE).toLowerCase(Locale.ROOT), failOpen ? "open" : "closed");
    }

    /** Tests: a controllable clock for the local cache. */
    void clock(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        // The source task already marked the event (ErrorHeaders.DEDUP_MARK): decide without Redis.
        Header premark = record.headers().lastWithName(ErrorHeaders.DEDUP_MARK);
        Header premarkHash = record.headers().lastWithName(ErrorHeaders.DEDUP_HASH);
        if (premark != null && premark.value() != null && premarkHash != null && premarkHash.value() != null) {
            premarked.incrementAndGet();
            String mark = premark.value().toString();
            if ("CONFIRMED".equals(mark)) {
                cache.put(premarkHash.value().toString(), clock.getAsLong() + ttlMs);
                duplicates.incrementAndGet();
                return null;
            }
            if ("PENDING".equals(mark)) {
                pendingPassed.incrementAndGet();
            }
            passed.incrementAndGet();
            return withoutPremark(record);
        }
        String eventId = eventId(record);
        String hash;
        if (eventId != null) {
            hash = DedupKeys.hashOfId(eventId);
        } else {
            String[] error = new String[1];
            JsonNode event = EventValues.parsed(record.value(), error);
            if (event != null && event.path(keyField).isTextual() && !event.path(keyField).textValue().isBlank()) {
                eventId = event.get(keyField).textValue();
                hash = DedupKeys.hashOfId(eventId);
            } else {
                hash = event != null ? DedupKeys.hashOf(event, keyField)
                        : DedupKeys.hashOf(com.fasterxml.jackson.databind.node.TextNode.valueOf(EventValues.text(record.value())), keyField);
            }
        }
        long now = clock.getAsLong();
        if (cache.contains(hash, now)) {
            localHits.incrementAndGet();
            duplicates.incrementAndGet();
            return null;
        }
        if (now < redisDownUntil) {
            return onRedisDown(record, hash, null);
        }
        DedupStore.Mark mark;
        try {
            mark = store.mark(hash, eventId);
        } catch (JedisException e) {
            redisErrors.incrementAndGet();
            redisDownUntil = clock.getAsLong() + retryBackoffMs;
            return onRedisDown(record, hash, e);
        }
        switch (mark) {
            case CONFIRMED -> {
                cache.put(hash, now + ttlMs);
                duplicates.incrementAndGet();
                return null;
            }
            case PENDING -> pendingPassed.incrementAndGet();
            default -> {
            }
        }
        passed.incrementAndGet();
        return withHash(record, hash);
    }

    private R onRedisDown(R record, String hash, Exception cause) {
        if (!failOpen) {
            throw new RetriableException("Redis unavailable for de-duplication (redis.failure.mode=closed)"
                    + (cause == null ? "" : ": " + cause.getMessage()), cause);
        }
        long n = failOpenPassed.incrementAndGet();
        long now = clock.getAsLong();
        if (now - lastWarn > 10_000) {
            lastWarn = now;
            log.warn("Redis unavailable for de-duplication; passing events without a check (fail-open), {} so far{}", n,
                    cause == null ? "" : ": " + cause.getMessage());
        }
        passed.incrementAndGet();
        return withHash(record, hash);
    }

    private R withHash(R record, String hash) {
        Headers headers = record.headers().duplicate();
        headers.remove(ErrorHeaders.DEDUP_HASH);
        headers.addString(ErrorHeaders.DEDUP_HASH, hash);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }

    /**
     * The mark header is between the task and this transform: it is not written to Kafka. The hash header
     * stays, as on every passed record: the topic confirmer reads it from the written record.
     */
    private R withoutPremark(R record) {
        org.apache.kafka.connect.header.Headers headers = record.headers().duplicate();
        headers.remove(ErrorHeaders.DEDUP_MARK);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), headers);
    }

    private String eventId(R record) {
        if (!"eventId".equals(keyField)) {
            return null;
        }
        Header h = record.headers().lastWithName(ErrorHeaders.EVENT_ID);
        return h == null || h.value() == null || h.value().toString().isBlank() ? null : h.value().toString();
    }

    /** Counters: passed, duplicates, duplicates.local, pending.passed, fail.open.passed, redis.errors, premarked, confirmed. */
    public Map<String, Long> counters() {
        return Map.of("passed", passed.get(), "duplicates", duplicates.get(), "duplicates.local", localHits.get(),
                "pending.passed", pendingPassed.get(), "fail.open.passed", failOpenPassed.get(),
                "redis.errors", redisErrors.get(), "premarked", premarked.get(),
                "confirmed", confirmer == null ? 0 : confirmer.confirmed());
    }

    /** The store (tests; the confirm API for callers in the same class loader). */
    DedupStore store() {
        return store;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        if (confirmer != null) {
            confirmer.close();
            confirmer = null;
        }
        if (store != null) {
            log.info("DeduplicateEvent closing; counters {}", counters());
            store.close();
            store = null;
        }
    }
}
