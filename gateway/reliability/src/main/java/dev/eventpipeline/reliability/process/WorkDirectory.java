package dev.eventpipeline.reliability.process;

import dev.eventpipeline.gateway.launch.PluginInstaller;
import dev.eventpipeline.reliability.Args;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a suite or benchmark run keeps the broker's log, ClickHouse's data and the processes' logs: 2–8 GB
 * after a run, so a temporary one must not outlive a good run. {@code --work DIR} uses DIR and always keeps it;
 * otherwise a fresh temporary directory is deleted by {@link #finish} after a good run and kept (its path on
 * stderr, for the logs) after a failed one or with {@code --keep-work true}.
 */
public final class WorkDirectory {
    private final Path path;
    private final boolean deleteAfterGoodRun;

    private WorkDirectory(Path path, boolean deleteAfterGoodRun) {
        this.path = path;
        this.deleteAfterGoodRun = deleteAfterGoodRun;
    }

    public static WorkDirectory of(Args args, String prefix) throws IOException {
        String given = args.get("work", null);
        boolean keep = Boolean.parseBoolean(args.get("keep-work", "false"));
        return given != null ? new WorkDirectory(Path.of(given), false)
                : new WorkDirectory(Files.createTempDirectory(prefix), !keep);
    }

    public Path path() {
        return path;
    }

    /** At the end of the run: deletes a temporary directory after a good run, otherwise says where it is. */
    public void finish(boolean succeeded) {
        if (deleteAfterGoodRun && succeeded) {
            try {
                PluginInstaller.deleteRecursively(path);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the work directory " + path, e);
            }
        } else {
            System.err.println("work directory kept: " + path);
        }
    }
}
