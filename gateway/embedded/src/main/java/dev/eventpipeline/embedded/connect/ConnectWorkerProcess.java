package dev.eventpipeline.embedded.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real distributed-mode Kafka Connect worker in a <em>child JVM</em>
 * ({@code org.apache.kafka.connect.cli.ConnectDistributed}), so that a test can kill it alone with
 * SIGKILL ({@link #kill()}) or stop it with SIGTERM ({@link #close()}), exactly like an operator or the
 * OOM killer would. Same worker properties as {@link ConnectWorker}; plugins come from
 * {@code plugin.path} only, never from the given class path (pass one without the plugins' classes).
 */
public final class ConnectWorkerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectWorkerProcess.class);

    private final Process process;
    private final String restUrl;
    private final Path logFile;

    private ConnectWorkerProcess(Process process, String restUrl, Path logFile) {
        this.process = process;
        this.restUrl = restUrl;
        this.logFile = logFile;
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
        Path logFile = workDir.resolve("connect-" + restPort + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(System.getProperty("path.separator"), classPath));
        command.add("org.apache.kafka.connect.cli.ConnectDistributed");
        command.add(propsFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        String url = "http://" + restHost + ":" + restPort;
        ConnectWorkerProcess worker = new ConnectWorkerProcess(process, url, logFile);
        try {
            worker.awaitHealthy(timeout);
        } catch (IOException e) {
            worker.kill();
            throw new IOException(e.getMessage() + " (worker log: " + logFile + ")", e);
        }
        log.info("Kafka Connect worker (pid {}) ready at {}", process.pid(), url);
        return worker;
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        ConnectHealth.await(restUrl, timeout,
                () -> process.isAlive() ? null : "Kafka Connect worker exited with code " + process.exitValue());
    }

    public String restUrl() {
        return restUrl;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGKILL: no shutdown hook, no flush, no graceful task stop. Waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (Connect's shutdown hook stops tasks gracefully); SIGKILL after 60 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                log.warn("Connect worker pid {} ignored SIGTERM for 60 s; killing it", process.pid());
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
