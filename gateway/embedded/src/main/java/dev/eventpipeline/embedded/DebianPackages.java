package dev.eventpipeline.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Debian packages a local server needs (redis-server, clickhouse-server) when their
 * binary is missing, so the embedded shape runs on a fresh machine. Installing needs root; without
 * it we stop with the exact command to run.
 */
public final class DebianPackages {
    private static final Logger log = LoggerFactory.getLogger(DebianPackages.class);
    private static final Object LOCK = new Object();
    private static boolean updated;

    private DebianPackages() {
    }

    /** Returns the path of {@code binary}, installing {@code packages} first if it is not on the PATH. */
    public static Path ensureInstalled(String binary, String... packages) throws IOException {
        Path found = which(binary);
        if (found != null) {
            return found;
        }
        synchronized (LOCK) {
            found = which(binary);
            if (found != null) {
                return found;
            }
            String pkgs = String.join(" ", packages);
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IOException(binary + " is not installed and installing needs root: run "
                        + "'sudo apt-get update && sudo apt-get install -y " + pkgs + "' or configure the server's URL");
            }
            log.info("{} not found: installing Debian package(s) {} (once; takes ~30 s)", binary, pkgs);
            if (!updated) {
                run(List.of("apt-get", "update", "-qq"));
                updated = true;
            }
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
            install.addAll(List.of(packages));
            run(install);
            found = which(binary);
            if (found == null) {
                throw new IOException("installed " + pkgs + " but " + binary + " is still not on the PATH");
            }
            return found;
        }
    }

    /** Finds an executable on the PATH (and in /usr/sbin, where Debian puts some servers). */
    public static Path which(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }
}
