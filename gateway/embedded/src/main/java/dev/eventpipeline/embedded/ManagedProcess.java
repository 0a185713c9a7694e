package dev.eventpipeline.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A daemonised server known by its pid file (Redis and ClickHouse both write one). Stopping sends
 * SIGTERM and waits, so the next start finds clean data directories.
 */
public final class ManagedProcess {
    private final String name;
    private final Path pidFile;

    public ManagedProcess(String name, Path pidFile) {
        this.name = name;
        this.pidFile = pidFile;
    }

    public Optional<ProcessHandle> handle() {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String text = Files.readString(pidFile).trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isAlive() {
        return handle().isPresent();
    }

    /** SIGTERM, then wait up to {@code timeout}; SIGKILL if it is still alive. */
    public void stop(Duration timeout) {
        handle().ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is harmless: handle() checks liveness
        }
    }

    /** SIGKILL, for fault-injection tests. */
    public void kill() {
        handle().ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return name + handle().map(h -> " (pid " + h.pid() + ")").orElse(" (not running)");
    }
}
