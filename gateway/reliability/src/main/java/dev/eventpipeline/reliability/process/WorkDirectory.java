package dev.eventpipeline.reliability.process;

import dev.eventpipeline.reliability.Args;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a suite or benchmark run keeps the broker's log, ClickHouse's data and the processes' logs: 2–8 GB
 * after a run, so a temporary one must not outlive a good run. {@code --work DIR} uses DIR and always keeps it;
 * otherwise a fresh temporary directory is deleted by {@link #finish} after a good run and kept (its path on
 * stderr, for the logs) after a failed one or with {@code --keep-work true}.
 */
public final class WorkDirectory {
    private final Path path;
    private final boolean temporary;
    private final boolean keep;

    private WorkDirectory(Path path, boolean temporary, boolean keep) {
        this.path = path;
        this.temporary = temporary;
        this.keep = keep;
    }

    public static WorkDirectory of(Args args, String prefix) throws IOException {
        String given = args.get("work", null);
        boolean keep = Boolean.parseBoolean(args.get("keep-work", "false"));
        return given != null ? new WorkDirectory(Path.of(given), false, true)
                : new WorkDirectory(Files.createTempDirectory(prefix), true, keep);
    }

    public Path path() {
        return path;
    }

    /** At the end of the run: deletes a temporary directory after a good run, otherwise says where it is. */
    public void finish(boolean succeeded) {
        if (temporary && succeeded && !keep) {
            delete(path);
        } else {
            System.err.println("work directory kept: " + path);
        }
    }

    static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the work directory " + root, e);
        }
    }
}
