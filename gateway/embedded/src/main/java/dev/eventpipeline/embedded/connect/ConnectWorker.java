package dev.eventpipeline.embedded.connect;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real distributed-mode Kafka Connect worker in this JVM. Plugins are loaded from
 * {@code plugin.path} with the worker's isolating class loaders, exactly as in production; the
 * application class path never carries them.
 */
public final class ConnectWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);

    private final Connect<?> connect;
    private final String restUrl;

    private ConnectWorker(Connect<?> connect, String restUrl) {
        this.connect = connect;
        this.restUrl = restUrl;
    }

    /**
     * Starts the worker and waits until its REST API reports healthy.
     *
     * @param overrides extra or replaced worker properties
     */
    public static ConnectWorker start(String bootstrapServers, String restHost, int restPort, Path pluginPath,
                                      Map<String, String> overrides, Duration timeout) throws IOException {
        Map<String, String> props = workerProperties(bootstrapServers, restHost, restPort, pluginPath);
        props.putAll(overrides);
        // Connect registers its own JVM shutdown hook, which would race the owner's ordered stop
        // (Connect, then the broker): the worker would leave its group uncleanly and the next start
        // would wait out the session timeout. Whoever starts the worker stops it.
        Exit.setShutdownHookAdder((name, hook) -> log.debug("not registering Kafka shutdown hook {}", name));
        Connect<?> connect = new ConnectDistributed().startConnect(props);
        String url = "http://" + restHost + ":" + restPort;
        ConnectWorker worker = new ConnectWorker(connect, url);
        try {
            worker.awaitHealthy(timeout);
        } catch (IOException e) {
            worker.close();
            throw e;
        }
        log.info("Kafka Connect worker ready at {} (plugin.path {})", url, pluginPath);
        return worker;
    }

    static Map<String, String> workerProperties(String bootstrapServers, String restHost, int restPort, Path pluginPath) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", "event-pipeline-connect");
        p.put("config.storage.topic", "_connect-configs");
        p.put("offset.storage.topic", "_connect-offsets");
        p.put("status.storage.topic", "_connect-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "5");
        p.put("status.storage.partitions", "1");
        p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        p.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        p.put("listeners", "http://" + restHost + ":" + restPort);
        p.put("rest.advertised.host.name", restHost);
        p.put("plugin.path", pluginPath.toAbsolutePath().toString());
        // Our archives carry META-INF/services entries; scanning every jar would add ~5 s per start.
        p.put("plugin.discovery", "service_load");
        // Same placeholders as the deployed shape: ${env:NAME} in connector configs.
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        // A single worker that restarts gets a new member id; without this its old tasks would wait
        // out the default 5-minute scheduled rebalance delay before being reassigned.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        p.put("offset.flush.interval.ms", "1000");
        return p;
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        ConnectHealth.await(restUrl, timeout, () -> null);
    }

    public String restUrl() {
        return restUrl;
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
        log.info("Kafka Connect worker stopped");
    }
}
