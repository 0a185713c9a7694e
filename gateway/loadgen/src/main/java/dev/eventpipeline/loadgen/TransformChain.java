package dev.eventpipeline.loadgen;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.schema.KafkaSchemaLog;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped transform chain of the ingestion connector for the benchmark ({@code --transforms on}):
 * ValidateEvent against the shipped cart schemas (registered in the registry topic of the benchmark's
 * broker), DeduplicateEvent on a real Redis (this machine's {@code redis-server}), and the task's
 * de-duplication pre-mark, as in {@code connectors/event-source/src/main/etc/event-source.json}, with the
 * benchmark's topics. Valid events go to {@link #VALID_TOPIC}, so acks name that topic and the load
 * generator verifies them there.
 */
final class TransformChain implements AutoCloseable {
    static final String VALID_TOPIC = "bench-validated";
    static final String DLQ_TOPIC = "bench-dlq";

    private final RedisServer redis;

    private TransformChain(RedisServer redis) {
        this.redis = redis;
    }

    /** Starts Redis, registers the shipped schemas and creates the chain's topics. */
    static TransformChain start(Path work, String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(VALID_TOPIC, 2, (short) 1), new NewTopic(DLQ_TOPIC, 2, (short) 1),
                    new NewTopic(Topics.SCHEMAS, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
        try (SchemaRegistry registry = SchemaRegistry.open(new KafkaSchemaLog(bootstrap, Topics.SCHEMAS, Map.of(), true),
                Duration.ofSeconds(60))) {
            ShippedSchemas.registerAll(registry);
        }
        return new TransformChain(startRedis(work));
    }

    private static RedisServer startRedis(Path work) throws IOException {
        try {
            return RedisServer.start(work.resolve("redis"), PortCheck.freePort());
        } catch (IOException e) {
            throw new IOException("--transforms on needs redis-server on the PATH (apt-get install redis-server, "
                    + "or run ./pipeline test once): " + e.getMessage(), e);
        }
    }

    /** The connector keys of the shipped chain (event-source.json), pointed at this run's broker and Redis. */
    Map<String, String> connectorConfig(String bootstrap) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("dlq.topic", DLQ_TOPIC);
        c.put("transforms", "validate,dedup");
        c.put("transforms.validate.type", "dev.eventpipeline.smt.ValidateEvent");
        c.put("transforms.validate.registry.bootstrap.servers", bootstrap);
        c.put("transforms.validate.valid.topic", VALID_TOPIC);
        c.put("transforms.validate.invalid.topic", DLQ_TOPIC);
        c.put("transforms.validate.on.invalid", "route");
        c.put("transforms.dedup.type", "dev.eventpipeline.smt.DeduplicateEvent");
        c.put("transforms.dedup.predicate", "isValidated");
        c.put("transforms.dedup.redis.url", redis.url());
        c.put("transforms.dedup.dedup.ttl.ms", "3600000");
        c.put("transforms.dedup.redis.failure.mode", "open");
        c.put("transforms.dedup.confirm.mode", "external");
        c.put("predicates", "isValidated");
        c.put("predicates.isValidated.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        c.put("predicates.isValidated.pattern", VALID_TOPIC);
        c.put("ack.invalid.reason.resolver.class", "dev.eventpipeline.ingest.hooks.RegistryInvalidReasonResolver");
        c.put("poll.batch.hook.class", "dev.eventpipeline.ingest.hooks.DedupPreMarker");
        c.put("ack.durable.write.listener.class", "dev.eventpipeline.ingest.hooks.DedupConfirmer");
        return c;
    }

    /** The Redis server's pid (from its pid file), or -1. */
    long redisPid() {
        return redis.pid();
    }

    @Override
    public void close() {
        redis.close();
    }
}
