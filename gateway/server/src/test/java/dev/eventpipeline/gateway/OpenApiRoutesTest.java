package dev.eventpipeline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.gateway.http.Route;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document and the routes actually served must list the same endpoints. */
class OpenApiRoutesTest {
    @Test
    void documentListsExactlyTheServedRoutes() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(GatewayServer.readResource(GatewayServer.OPENAPI_RESOURCE));
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));

        try (GatewayServer gateway = new GatewayServer(new GatewaySettings("127.0.0.1", 0, "127.0.0.1:1",
                "http://127.0.0.1:1", "redis://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1"), dev.eventpipeline.gateway.config.GatewayConfig.defaults(), java.util.Optional.empty())) {
            Set<String> served = new TreeSet<>();
            for (Route r : gateway.router().routes()) {
                served.add(r.method() + " " + r.template());
            }
            assertThat(served).isEqualTo(documented);
        }
    }

    @Test
    void everyOperationDocumentsItsResponsesAndEveryRefResolves() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(GatewayServer.readResource(GatewayServer.OPENAPI_RESOURCE));
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op ->
                assertThat(op.getValue().path("responses").size()).as(op.getKey() + " " + path.getKey()).isPositive()));
        String text = doc.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"\\$ref\":\"#/components/schemas/([A-Za-z]+)\"").matcher(text);
        while (m.find()) {
            assertThat(doc.path("components").path("schemas").has(m.group(1))).as("$ref " + m.group(1)).isTrue();
        }
    }
}
