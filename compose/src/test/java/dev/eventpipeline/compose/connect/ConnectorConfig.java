package dev.eventpipeline.compose.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A shipped connector config ({@code etc/*.json}: {@code {"name", "config"}}) with its
 * {@code ${env:NAME}} placeholders filled in, as Connect's EnvVarConfigProvider would on a worker
 * whose environment has those values.
 */
public record ConnectorConfig(Path file, String name, ObjectNode config) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    /** Every {@code <component>/etc/*.json} under a plugin.path directory (what the embedded shape deploys). */
    public static List<Path> shipped(Path pluginPath) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(pluginPath)) {
            for (Path component : dirs.sorted().toList()) {
                Path etc = component.resolve("etc");
                if (Files.isDirectory(etc)) {
                    try (Stream<Path> files = Files.list(etc)) {
                        files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Reads {@code file}, overlays {@code overlay} (may be null: deployment-only keys such as
     * credentials) and replaces placeholders; fails on a placeholder without a value.
     */
    public static ConnectorConfig load(Path file, JsonNode overlay, Map<String, String> env) throws IOException {
        JsonNode doc = JSON.readTree(Files.readString(file));
        ObjectNode merged = ((ObjectNode) doc.path("config")).deepCopy();
        if (overlay != null) {
            overlay.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
        }
        ObjectNode out = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) merged::fields) {
            out.put(f.getKey(), substitute(file, f.getValue().asText(), env));
        }
        String name = doc.path("name").asText();
        out.put("name", name);
        return new ConnectorConfig(file, name, out);
    }

    static String substitute(Path file, String value, Map<String, String> env) throws IOException {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IOException(file + ": no value for ${env:" + m.group(1) + "}");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
