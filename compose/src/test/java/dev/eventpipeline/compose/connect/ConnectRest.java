package dev.eventpipeline.compose.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few calls of Connect's own REST API a platform team makes to deploy and check connectors. */
public final class ConnectRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;

    public ConnectRest(String url) {
        this.url = url;
    }

    /** {@code GET /}: the worker's own version. */
    public String version() throws IOException, InterruptedException {
        return get("/").path("version").asText();
    }

    /** Classes of {@code GET /connector-plugins?connectorsOnly=false}. */
    public List<String> pluginClasses() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        get("/connector-plugins?connectorsOnly=false").forEach(p -> out.add(p.path("class").asText()));
        return out;
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}: every error as "key: message". */
    public List<String> validate(ObjectNode config) throws IOException, InterruptedException {
        HttpResponse<String> resp = send("PUT", "/connector-plugins/" + encode(config.path("connector.class").asText())
                + "/config/validate", config);
        if (resp.statusCode() != 200) {
            throw new IOException("validate: HTTP " + resp.statusCode() + " " + resp.body());
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode c : JSON.readTree(resp.body()).path("configs")) {
            for (JsonNode e : c.path("value").path("errors")) {
                errors.add(c.path("value").path("name").asText() + ": " + e.asText());
            }
        }
        return errors;
    }

    /** {@code PUT /connectors/{name}/config}; returns the HTTP status (201 created, 200 updated). */
    public int put(String name, ObjectNode config) throws IOException, InterruptedException {
        HttpResponse<String> resp = send("PUT", "/connectors/" + encode(name) + "/config", config);
        if (resp.statusCode() != 200 && resp.statusCode() != 201) {
            throw new IOException("PUT connector " + name + ": HTTP " + resp.statusCode() + " " + resp.body());
        }
        return resp.statusCode();
    }

    /** {@code GET /connectors/{name}/status}. */
    public JsonNode status(String name) throws IOException, InterruptedException {
        return get("/connectors/" + encode(name) + "/status");
    }

    public void delete(String name) throws IOException, InterruptedException {
        send("DELETE", "/connectors/" + encode(name), null);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> resp = send("GET", path, null);
        if (resp.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + resp.statusCode() + " " + resp.body());
        }
        return JSON.readTree(resp.body());
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            req.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
