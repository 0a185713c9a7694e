package dev.eventpipeline.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline component in its own JVM ({@code java -cp <cp> <main> <args>}), so that a fault can hit
 * it alone: {@link #kill()} is SIGKILL (no shutdown hook runs, as with the OOM killer), {@link #close()}
 * is SIGTERM (the component's shutdown hook stops it cleanly). Output goes to {@code <name>.log}.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    public static ChildJvm start(String name, String mainClass, List<String> classPath, List<String> jvmOptions,
                                 List<String> args, Path logDir) throws IOException {
        return start(name, mainClass, classPath, jvmOptions, args, Map.of(), logDir);
    }

    /** As {@link #start(String, String, List, List, List, Path)}, with extra environment variables. */
    public static ChildJvm start(String name, String mainClass, List<String> classPath, List<String> jvmOptions,
                                 List<String> args, Map<String, String> environment, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(System.getProperty("path.separator"), classPath));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        log.info("{} started as pid {} (log {})", name, process.pid(), logFile);
        return new ChildJvm(name, process, logFile);
    }

    public String name() {
        return name;
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

    /** Last lines of the log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Exit code; only meaningful once {@link #isAlive()} is false. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL; waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        await(30);
    }

    /** SIGTERM, SIGKILL after 60 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!await(60)) {
            log.warn("{} (pid {}) ignored SIGTERM for 60 s; killing it", name, process.pid());
            kill();
        }
    }

    private boolean await(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + (process.isAlive() ? ")" : ", exited)");
    }
}
