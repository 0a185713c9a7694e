package dev.eventpipeline.gateway.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates or updates connectors through Connect's own REST API from the JSON files the plugin
 * archives ship ({@code {"name": ..., "config": {...}}}), as a platform team would. Each config is
 * validated first so a bad value fails with Connect's own message rather than a FAILED task.
 */
public final class ConnectorDeployer {
    private static final Logger log = LoggerFactory.getLogger(ConnectorDeployer.class);
    /** Connect's EnvVarConfigProvider syntax; the embedded shape fills these in itself. */
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final String connectUrl;
    private final Map<String, String> values;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param values placeholder values ({@code CLICKHOUSE_URL}, ...); a placeholder without a value is
     *               left for the worker's EnvVarConfigProvider to resolve
     */
    public ConnectorDeployer(String connectUrl, Map<String, String> values) {
        this.connectUrl = connectUrl;
        this.values = Map.copyOf(values);
    }

    /** Deploys each file; returns the connector names. */
    public List<String> deploy(List<Path> files) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            names.add(deploy(file));
        }
        return names;
    }

    public String deploy(Path file) throws IOException, InterruptedException {
        JsonNode doc = mapper.readTree(Files.readString(file));
        JsonNode name = doc.get("name");
        JsonNode config = doc.get("config");
        if (name == null || !name.isTextual() || config == null || !config.isObject()) {
            throw new IOException(file + ": expected {\"name\": \"...\", \"config\": {...}}");
        }
        ObjectNode resolved = resolve((ObjectNode) config);
        resolved.put("name", name.textValue());
        validate(file, resolved);
        HttpResponse<String> resp = send("PUT", "/connectors/" + encode(name.textValue()) + "/config", resolved);
        if (resp.statusCode() != 200 && resp.statusCode() != 201) {
            throw new IOException("creating connector " + name.textValue() + " from " + file + " failed: HTTP "
                    + resp.statusCode() + " " + resp.body());
        }
        log.info("Connector {} {} from {}", name.textValue(), resp.statusCode() == 201 ? "created" : "updated",
                file.getFileName());
        return name.textValue();
    }

    ObjectNode resolve(ObjectNode config) {
        ObjectNode out = mapper.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            out.put(f.getKey(), substitute(f.getValue().asText()));
        }
        return out;
    }

    String substitute(String value) {
        Matcher m = ENV_PLACEHOLDER.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement != null ? replacement : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private void validate(Path file, ObjectNode config) throws IOException, InterruptedException {
        String connectorClass = config.path("connector.class").asText();
        HttpResponse<String> resp = send("PUT", "/connector-plugins/" + encode(connectorClass) + "/config/validate", config);
        if (resp.statusCode() != 200) {
            throw new IOException("validating " + file + " failed: HTTP " + resp.statusCode() + " " + resp.body());
        }
        JsonNode result = mapper.readTree(resp.body());
        if (result.path("error_count").asInt() == 0) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode c : result.path("configs")) {
            for (JsonNode e : c.path("value").path("errors")) {
                errors.add(c.path("value").path("name").asText() + ": " + e.asText());
            }
        }
        throw new IOException("connector config " + file + " is invalid:\n  " + String.join("\n  ", errors));
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(connectUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
