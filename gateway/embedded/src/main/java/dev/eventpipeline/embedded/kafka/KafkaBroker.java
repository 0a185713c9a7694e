package dev.eventpipeline.embedded.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), in this JVM, from
 * the Apache Kafka jars. Its log directory survives restarts; the cluster id is kept in
 * {@code meta.properties} and reused on re-format, as Kafka requires.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private final String host;
    private final int port;
    private final KafkaRaftServer server;

    private KafkaBroker(String host, int port, KafkaRaftServer server) {
        this.host = host;
        this.port = port;
        this.server = server;
    }

    /**
     * Formats {@code dataDir} if needed and starts the broker.
     *
     * @param port           client listener (PLAINTEXT)
     * @param controllerPort KRaft controller listener
     */
    public static KafkaBroker start(Path dataDir, String host, int port, int controllerPort) throws IOException {
        Path logDir = dataDir.resolve("logs");
        Files.createDirectories(logDir);
        Properties props = brokerProperties(logDir, host, port, controllerPort);
        Path propsFile = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(propsFile)) {
            props.store(w, "written by event-pipeline; regenerated at every start");
        }
        format(propsFile, clusterId(logDir));
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        log.info("Kafka broker listening on {}:{} (data in {})", host, port, logDir);
        return new KafkaBroker(host, port, server);
    }

    static Properties brokerProperties(Path logDir, String host, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MiB dedupe buffer is the largest single allocation of an idle broker.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    private static String clusterId(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(meta)) {
                p.load(r);
            }
            String id = p.getProperty("cluster.id");
            if (id != null) {
                return id;
            }
        }
        return Uuid.randomUuid().toString();
    }

    private static void format(Path propsFile, String clusterId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", propsFile.toString(),
                    "--ignore-formatted"}, ps);
        } catch (Exception e) {
            throw new IOException("formatting the Kafka log dir failed: " + e.getMessage() + "\n" + out, e);
        }
        if (code != 0) {
            throw new IOException("formatting the Kafka log dir failed (" + code + "): " + out);
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker stopped");
    }
}
