package dev.eventpipeline.embedded.connect;

import dev.eventpipeline.embedded.ChildJvm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real distributed-mode Kafka Connect worker in a <em>child JVM</em>
 * ({@code org.apache.kafka.connect.cli.ConnectDistributed}), so that a test can kill it alone with
 * SIGKILL ({@link #kill()}) or stop it with SIGTERM ({@link #close()}), exactly like an operator or the
 * OOM killer would. Same worker properties as {@link ConnectWorker}; plugins come from
 * {@code plugin.path} only, never from the given class path (pass one without the plugins' classes).
 */
public final class ConnectWorkerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectWorkerProcess.class);

    private final ChildJvm jvm;
    private final String restUrl;

    private ConnectWorkerProcess(ChildJvm jvm, String restUrl) {
        this.jvm = jvm;
        this.restUrl = restUrl;
    }

    /**
     * Starts the worker and waits until {@code GET /health} answers 200.
     *
     * @param classPath class path of the child JVM: connect-runtime and its dependencies, a logging
     *                  binding; not the plugins (they are loaded from {@code pluginPath})
     * @param jvmOptions extra JVM options, e.g. {@code -Xmx512m}
     * @param workDir    where the properties file and the worker's log ({@code connect-<port>.log}) go
     */
    public static ConnectWorkerProcess start(String bootstrapServers, String restHost, int restPort, Path pluginPath,
                                             Map<String, String> overrides, List<String> classPath, List<String> jvmOptions,
                                             Path workDir, Duration timeout) throws IOException {
        return start(bootstrapServers, restHost, restPort, pluginPath, overrides, classPath, jvmOptions, Map.of(), workDir,
                timeout);
    }

    /**
     * As {@link #start(String, String, int, Path, Map, List, List, Path, Duration)}, with extra environment
     * variables for the worker: what its {@code EnvVarConfigProvider} resolves {@code ${env:NAME}} from.
     */
    public static ConnectWorkerProcess start(String bootstrapServers, String restHost, int restPort, Path pluginPath,
                                             Map<String, String> overrides, List<String> classPath, List<String> jvmOptions,
                                             Map<String, String> environment, Path workDir, Duration timeout)
            throws IOException {
        Map<String, String> props = ConnectWorker.workerProperties(bootstrapServers, restHost, restPort, pluginPath);
        props.putAll(overrides);
        Files.createDirectories(workDir);
        Path propsFile = workDir.resolve("connect-" + restPort + ".properties");
        Properties p = new Properties();
        p.putAll(props);
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            p.store(out, "Connect worker in a child JVM");
        }
        ChildJvm jvm = ChildJvm.start("connect-" + restPort, "org.apache.kafka.connect.cli.ConnectDistributed", classPath,
                jvmOptions, List.of(propsFile.toString()), environment, workDir);
        String url = "http://" + restHost + ":" + restPort;
        ConnectWorkerProcess worker = new ConnectWorkerProcess(jvm, url);
        try {
            ConnectHealth.await(url, timeout, () -> jvm.isAlive() ? null : "Kafka Connect worker exited with code " + jvm.exitValue());
        } catch (IOException e) {
            worker.kill();
            throw new IOException(e.getMessage() + " (worker log: " + jvm.logFile() + ")", e);
        }
        log.info("Kafka Connect worker (pid {}) ready at {}", jvm.pid(), url);
        return worker;
    }

    public String restUrl() {
        return restUrl;
    }

    public long pid() {
        return jvm.pid();
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public Path logFile() {
        return jvm.logFile();
    }

    /** SIGKILL: no shutdown hook, no flush, no graceful task stop. Waits until the process is gone. */
    public void kill() {
        jvm.kill();
    }

    /** SIGTERM (Connect's shutdown hook stops tasks gracefully); SIGKILL after 60 s. */
    @Override
    public void close() {
        jvm.close();
    }
}
