package dev.eventpipeline.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads connector and task states from Connect's own REST API, traces of failures included. */
public final class ConnectClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String connectUrl;

    public ConnectClient(String connectUrl) {
        this.connectUrl = connectUrl;
    }

    public String url() {
        return connectUrl;
    }

    /** {@code GET /connectors?expand=status&expand=info}. */
    public List<ConnectorStatus> connectors() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(connectUrl + "/connectors?expand=status&expand=info"))
                .timeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("Connect answered " + resp.statusCode() + ": " + resp.body());
        }
        return parse(mapper.readTree(resp.body()));
    }

    static List<ConnectorStatus> parse(JsonNode root) {
        List<ConnectorStatus> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode status = e.getValue().path("status");
            JsonNode info = e.getValue().path("info");
            List<ConnectorStatus.Task> tasks = new ArrayList<>();
            for (JsonNode t : status.path("tasks")) {
                tasks.add(new ConnectorStatus.Task(t.path("id").asInt(), t.path("state").asText(),
                        t.path("worker_id").asText(null), t.path("trace").asText(null)));
            }
            out.add(new ConnectorStatus(e.getKey(), status.path("type").asText(info.path("type").asText(null)),
                    info.path("config").path("connector.class").asText(null),
                    status.path("connector").path("state").asText("UNKNOWN"),
                    status.path("connector").path("trace").asText(null), tasks));
        }
        out.sort(java.util.Comparator.comparing(ConnectorStatus::name));
        return out;
    }
}
