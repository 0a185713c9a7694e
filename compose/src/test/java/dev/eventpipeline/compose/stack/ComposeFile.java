package dev.eventpipeline.compose.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code compose/docker-compose.yml} and {@code .env.example} as data, with Compose's variable
 * interpolation ({@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?error}}, {@code $$} escapes),
 * so tests can check what the stack would run without a Docker engine.
 */
public record ComposeFile(Path dir, JsonNode root, Map<String, String> envExample) {
    public static final Path DIR = Path.of("").toAbsolutePath();
    /** ${NAME}, ${NAME:-x}, ${NAME-x}, ${NAME:?x}, ${NAME?x}; not $${...} (a literal $). */
    static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static ComposeFile load() throws IOException {
        return load(DIR);
    }

    public static ComposeFile load(Path dir) throws IOException {
        return new ComposeFile(dir, YAML.readTree(Files.readString(dir.resolve("docker-compose.yml"))),
                readEnvFile(dir.resolve(".env.example")));
    }

    public static Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            out.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return out;
    }

    public JsonNode services() {
        return root.path("services");
    }

    public JsonNode service(String name) {
        return services().path(name);
    }

    public List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        services().fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every variable name the file interpolates. */
    public Set<String> variables() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(Files.readString(dir.resolve("docker-compose.yml")));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Variables used with a default ({@code :-} or {@code -}), which may be left out of .env. */
    public Set<String> variablesWithDefaults() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(Files.readString(dir.resolve("docker-compose.yml")));
        while (m.find()) {
            if (m.group(2) != null && m.group(2).endsWith("-")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** A service's environment (map form) with variables interpolated from {@code env}. */
    public Map<String, String> environment(String service, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        service(service).path("environment").fields()
                .forEachRemaining(f -> out.put(f.getKey(), interpolate(f.getValue().asText(), env)));
        return out;
    }

    /** Compose interpolation; {@code ${X:?msg}} with X unset or empty fails like Compose does. */
    public static String interpolate(String value, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            String op = m.group(2);
            if (op != null) {
                boolean unsetOrEmpty = op.startsWith(":") ? (v == null || v.isEmpty()) : v == null;
                if (op.endsWith("-") && unsetOrEmpty) {
                    v = m.group(3);
                } else if (op.endsWith("?") && unsetOrEmpty) {
                    throw new IllegalArgumentException("required variable " + m.group(1) + ": " + m.group(3));
                }
            }
            if (v == null) {
                v = "";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString().replace("$$", "$");
    }

    /** Short-syntax volume entries of a service as source → target (sources as written). */
    public Map<String, String> volumes(String service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : service(service).path("volumes")) {
            String[] parts = v.asText().split(":");
            out.put(parts[0], parts[1]);
        }
        return out;
    }
}
