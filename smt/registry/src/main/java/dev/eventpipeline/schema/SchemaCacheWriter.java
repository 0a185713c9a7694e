package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.util.function.Consumer;

/**
 * Mirrors registered versions into Redis as the data contract specifies: {@code
 * schema_cache:{subject}:{version}} → {@code {"schema":…,"validationRules":{"migration":…,
 * "metadata":…}}} (no TTL; versions are immutable). A read-side cache for non-JVM consumers; the
 * registry itself never reads it (the compacted topic is the source of truth). Redis errors are logged,
 * never fail a registration.
 */
public final class SchemaCacheWriter implements Consumer<SchemaVersion>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaCacheWriter.class);
    public static final String KEY_PREFIX = "schema_cache:";
    private final JedisPooled jedis;

    public SchemaCacheWriter(String redisUrl) {
        URI uri = URI.create(redisUrl);
        this.jedis = new JedisPooled(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    public static String key(String subject, int version) {
        return KEY_PREFIX + subject + ":" + version;
    }

    @Override
    public void accept(SchemaVersion v) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.set("schema", v.schema());
        ObjectNode rules = value.putObject("validationRules");
        rules.put("subject", v.subject()).put("version", v.version()).put("id", v.id());
        rules.set("migration", v.migration().toJson());
        rules.set("metadata", v.metadata());
        try {
            jedis.set(key(v.subject(), v.version()), value.toString());
        } catch (RuntimeException e) {
            log.warn("Could not write {} to Redis: {}", key(v.subject(), v.version()), e.toString());
        }
    }

    @Override
    public void close() {
        jedis.close();
    }
}
