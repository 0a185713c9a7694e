package dev.eventpipeline.gateway.launch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Installs Connect plugin archives (Confluent Hub layout) into a {@code plugin.path} directory the
 * way an operator would: unzip each archive there. The directory is rebuilt at every start so a
 * rebuilt archive is always the one loaded.
 */
public final class PluginInstaller {
    private static final Logger log = LoggerFactory.getLogger(PluginInstaller.class);

    private PluginInstaller() {
    }

    /** Unzips every {@code *.zip} of {@code archives} into {@code pluginPath}; returns the installed component dirs. */
    public static List<Path> install(Path archives, Path pluginPath) throws IOException {
        if (!Files.isDirectory(archives)) {
            throw new IOException("no plugin archives at " + archives + ": build them first with "
                    + "'mvn -DskipTests install' (or set pipeline.plugins.dir)");
        }
        deleteRecursively(pluginPath);
        Files.createDirectories(pluginPath);
        List<Path> components = new ArrayList<>();
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(archives, "*.zip")) {
            for (Path zip : zips) {
                components.add(unzip(zip, pluginPath));
            }
        }
        if (components.isEmpty()) {
            throw new IOException("no *.zip plugin archives in " + archives);
        }
        components.sort(Comparator.naturalOrder());
        log.info("Installed {} plugin archive(s) into {}", components.size(), pluginPath);
        return components;
    }

    /** The example connector configs each archive ships in {@code etc/*.json}. */
    public static List<Path> connectorConfigs(List<Path> components) throws IOException {
        List<Path> configs = new ArrayList<>();
        for (Path component : components) {
            Path etc = component.resolve("etc");
            if (Files.isDirectory(etc)) {
                try (Stream<Path> files = Files.list(etc)) {
                    files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(configs::add);
                }
            }
        }
        return configs;
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        Path root = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry escapes the plugin dir: " + entry.getName());
                }
                if (root == null) {
                    root = target.resolve(target.relativize(out).getName(0));
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    copy(in, out);
                }
            }
        }
        if (root == null) {
            throw new IOException("empty plugin archive " + zip);
        }
        return root;
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a directory tree (plugin dirs here; also run work directories); nothing if it does not exist. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
