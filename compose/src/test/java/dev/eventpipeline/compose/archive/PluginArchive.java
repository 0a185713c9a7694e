package dev.eventpipeline.compose.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One Connect plugin archive as built ({@code target/archives/*-plugin.zip}), read entry by entry:
 * what a reviewer of the zip would look at (root directory, manifest, lib/, doc/, etc/).
 */
public record PluginArchive(Path zip, Map<String, byte[]> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every plugin archive the compose module depends on, sorted by file name. */
    public static List<PluginArchive> all() throws IOException {
        Path dir = Path.of("target", "archives");
        if (!Files.isDirectory(dir)) {
            throw new IOException("no " + dir.toAbsolutePath() + ": build with 'mvn package' (generate-resources copies the archives)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<PluginArchive> out = new ArrayList<>();
            for (Path zip : files.filter(f -> f.getFileName().toString().endsWith("-plugin.zip")).sorted().toList()) {
                out.add(read(zip));
            }
            return out;
        }
    }

    public static PluginArchive read(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), e.isDirectory() ? new byte[0] : in.readAllBytes());
            }
        }
        return new PluginArchive(zip, entries);
    }

    /** The single top-level directory every entry lives in (null when there is none or several). */
    public String root() {
        String root = null;
        for (String name : entries.keySet()) {
            String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
            if (root != null && !root.equals(first)) {
                return null;
            }
            root = first;
        }
        return root;
    }

    /** Entry names relative to the root directory, files only. */
    public List<String> files() {
        String prefix = root() + "/";
        return entries.keySet().stream().filter(n -> !n.endsWith("/") && n.startsWith(prefix))
                .map(n -> n.substring(prefix.length())).toList();
    }

    public List<String> files(String dir) {
        return files().stream().filter(f -> f.startsWith(dir + "/")).map(f -> f.substring(dir.length() + 1)).toList();
    }

    public byte[] bytes(String relative) {
        return entries.get(root() + "/" + relative);
    }

    public String text(String relative) {
        byte[] b = bytes(relative);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public JsonNode manifest() throws IOException {
        String text = text("manifest.json");
        if (text == null) {
            throw new IOException(zip + " has no manifest.json at its root");
        }
        return JSON.readTree(text);
    }

    /** Entries of a jar in lib/ (the plugin jar's service files, for instance). */
    public Map<String, byte[]> jarEntries(String libJar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes("lib/" + libJar)))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), e.isDirectory() ? new byte[0] : in.readAllBytes());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return zip.getFileName().toString();
    }
}
