package dev.eventpipeline.schema.rest;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.schema.KafkaSchemaLog;
import dev.eventpipeline.schema.SchemaCacheWriter;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A small standalone registry server: {@link SchemaRegistry} on the compacted schemas topic,
 * {@link SchemaRegistryHandler} on a Jetty 12 server. The launcher starts it in-process with
 * {@link #start(Settings)}; from a shell:
 * <pre>java -cp ... dev.eventpipeline.schema.rest.SchemaRegistryServer --bootstrap-servers localhost:9092 --port 8081 --register-shipped</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    public static final int DEFAULT_PORT = 8081;

    /**
     * @param bootstrapServers Kafka holding the schemas topic
     * @param topic            the compacted schemas topic (must exist, 1 partition)
     * @param host             listen address
     * @param port             listen port (0 = ephemeral)
     * @param registerShipped  register the shipped cart schemas at start (idempotent)
     * @param redisUrl         when not null, each version is also written to Redis {@code schema_cache:{subject}:{version}}
     */
    public record Settings(String bootstrapServers, String topic, String host, int port, boolean registerShipped,
                           String redisUrl) {
        public static Settings defaults(String bootstrapServers) {
            return new Settings(bootstrapServers, Topics.SCHEMAS, "127.0.0.1", DEFAULT_PORT, true, null);
        }
    }

    private final SchemaRegistry registry;
    private final Server server;
    private final SchemaCacheWriter cache;

    private SchemaRegistryServer(SchemaRegistry registry, Server server, SchemaCacheWriter cache) {
        this.registry = registry;
        this.server = server;
        this.cache = cache;
    }

    public static SchemaRegistryServer start(Settings s) throws Exception {
        SchemaRegistry registry = SchemaRegistry.open(new KafkaSchemaLog(s.bootstrapServers(), s.topic(), Map.of(), true),
                Duration.ofSeconds(60));
        SchemaCacheWriter cache = null;
        Server server = null;
        try {
            if (s.redisUrl() != null && !s.redisUrl().isBlank()) {
                SchemaCacheWriter writer = new SchemaCacheWriter(s.redisUrl());
                cache = writer;
                registry.addListener(writer);
                registry.subjects().forEach(subj -> registry.versions(subj).forEach(writer));
            }
            if (s.registerShipped()) {
                int created = ShippedSchemas.registerAll(registry);
                log.info("Shipped cart schemas registered ({} new version(s))", created);
            }
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(s.host());
            connector.setPort(s.port());
            server.addConnector(connector);
            server.setHandler(new SchemaRegistryHandler(registry));
            server.start();
            log.info("Schema registry listening on http://{}:{}", s.host(), connector.getLocalPort());
            return new SchemaRegistryServer(registry, server, cache);
        } catch (Exception e) {
            if (server != null) {
                server.stop();
            }
            if (cache != null) {
                cache.close();
            }
            registry.close();
            throw e;
        }
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public String url() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        return "http://" + c.getHost() + ":" + c.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (cache != null) {
            cache.close();
        }
        registry.close();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        for (String a : args) {
            if ("--register-shipped".equals(a)) {
                opts.put("register-shipped", "true");
            }
        }
        Settings s = new Settings(opts.getOrDefault("bootstrap-servers", "localhost:9092"),
                opts.getOrDefault("topic", Topics.SCHEMAS), opts.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(opts.getOrDefault("port", String.valueOf(DEFAULT_PORT))),
                Boolean.parseBoolean(opts.getOrDefault("register-shipped", "true")), opts.get("redis-url"));
        SchemaRegistryServer server = start(s);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("error stopping", e);
            }
        }));
        server.server.join();
    }
}
