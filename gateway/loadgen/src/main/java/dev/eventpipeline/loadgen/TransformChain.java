package dev.eventpipeline.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.schema.KafkaSchemaLog;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shipped transform chain of the ingestion connector for the benchmark ({@code --transforms on}):
 * ValidateEvent against the shipped cart schemas (registered in the registry topic of the benchmark's
 * broker), DeduplicateEvent on a real Redis (this machine's {@code redis-server}), the task's pre-mark and
 * confirmation hooks, read from the shipped {@code etc/event-source.json} with the benchmark's topics. Valid events go to {@link #VALID_TOPIC}, so acks name that topic and the load
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

    /**
     * The transform-chain keys of the shipped connector config ({@code etc/event-source.json} in the plugin
     * archive, unpacked under {@code plugins}): transforms, predicates, hooks, header converter and DLQ topic,
     * with its placeholders pointed at this run's broker and Redis and its topics at the benchmark's. Read, not
     * retyped, so the benchmark measures exactly what ships.
     */
    Map<String, String> connectorConfig(Path plugins, String bootstrap) throws IOException {
        Path shipped;
        try (Stream<Path> files = Files.walk(plugins)) {
            shipped = files.filter(f -> f.endsWith(Path.of("etc", "event-source.json"))).findFirst()
                    .orElseThrow(() -> new IOException("no etc/event-source.json in the plugin archive under " + plugins));
        }
        JsonNode config = new ObjectMapper().readTree(shipped.toFile()).path("config");
        Map<String, String> c = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> {
            String key = e.getKey();
            if (key.startsWith("transforms") || key.startsWith("predicates") || key.startsWith("ack.")
                    || key.equals("poll.batch.hook.class") || key.equals("header.converter") || key.equals("dlq.topic")) {
                c.put(key, e.getValue().asText()
                        .replace("${env:KAFKA_BOOTSTRAP_SERVERS}", bootstrap)
                        .replace("${env:REDIS_URL}", redis.url())
                        .replace(Topics.VALIDATED, VALID_TOPIC)
                        .replace(Topics.DLQ, DLQ_TOPIC));
            }
        });
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
