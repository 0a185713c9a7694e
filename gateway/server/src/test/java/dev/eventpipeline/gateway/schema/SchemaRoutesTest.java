package dev.eventpipeline.gateway.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.gateway.http.Router;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.rest.SchemaRegistryHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's API under /v1 on a real Jetty with an in-memory registry: answers and problem documents. */
class SchemaRoutesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1 = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\"}},\"required\":[\"price\"],\"additionalProperties\":false}";
    static final String NARROW = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"integer\"}},\"required\":[\"price\"],\"additionalProperties\":false}";

    final HttpClient http = HttpClient.newHttpClient();
    Server server;
    String base;

    String start(Optional<SchemaRegistryHandler> registry) throws Exception {
        Router router = new Router();
        new SchemaRoutes(registry).addTo(router);
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(router);
        server.start();
        base = "http://127.0.0.1:" + c.getLocalPort();
        return base;
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nativeAndConfluentDialectsAnswerUnderV1() throws Exception {
        start(Optional.of(new SchemaRegistryHandler(SchemaRegistry.inMemory())));
        HttpResponse<String> created = call("POST", "/v1/schemas", "{\"subject\":\"cart.x\",\"schema\":" + V1 + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("version").asInt()).isEqualTo(1);

        assertThat(JSON.readTree(call("GET", "/v1/schemas/cart.x/latest", null).body()).path("schema")).isEqualTo(JSON.readTree(V1));
        assertThat(JSON.readTree(call("GET", "/v1/schemas", null).body()).path("subjects").path(0).path("subject").asText()).isEqualTo("cart.x");
        assertThat(JSON.readTree(call("GET", "/v1/schemas/config", null).body()).path("compatibility").asText()).isEqualTo("BACKWARD");

        HttpResponse<String> versions = call("GET", "/v1/subjects/cart.x/versions", null);
        assertThat(versions.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(JSON.readTree(versions.body()).toString()).isEqualTo("[1]");
    }

    @Test
    void registryErrorsAreProblemDocuments() throws Exception {
        start(Optional.of(new SchemaRegistryHandler(SchemaRegistry.inMemory())));
        call("POST", "/v1/schemas", "{\"subject\":\"cart.x\",\"schema\":" + V1 + "}");

        HttpResponse<String> refused = call("POST", "/v1/schemas", "{\"subject\":\"cart.x\",\"schema\":" + NARROW + "}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asText()).endsWith("/schema-incompatible");
        assertThat(problem.path("status").asInt()).isEqualTo(409);
        assertThat(problem.path("instance").asText()).isEqualTo("/v1/schemas");
        assertThat(problem.path("incompatibilities").path(0).asText()).contains("/price: TYPE_NARROWED");

        JsonNode missing = JSON.readTree(call("GET", "/v1/schemas/cart.nope/1", null).body());
        assertThat(missing.path("status").asInt()).isEqualTo(404);
        assertThat(missing.path("detail").asText()).contains("cart.nope");

        JsonNode malformed = JSON.readTree(call("POST", "/v1/schemas", "{\"subject\": ").body());
        assertThat(malformed.path("status").asInt()).isEqualTo(400);
        assertThat(malformed.path("detail").asText()).contains("malformed JSON");

        // Confluent clients read error_code and message; they are extension members of the problem.
        HttpResponse<String> confluent = call("GET", "/v1/subjects/cart.nope/versions", null);
        assertThat(confluent.statusCode()).isEqualTo(404);
        assertThat(confluent.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode c = JSON.readTree(confluent.body());
        assertThat(c.path("error_code").asInt()).isEqualTo(40401);
        assertThat(c.path("message").asText()).contains("cart.nope");
        assertThat(c.path("title").asText()).isEqualTo("Not Found");

        HttpResponse<String> wrongMethod = call("DELETE", "/v1/schemas/cart.x/1", null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow").orElse("")).contains("GET", "PUT");
    }

    @Test
    void withoutARegistryEveryRouteAnswers503() throws Exception {
        start(Optional.empty());
        HttpResponse<String> resp = call("GET", "/v1/schemas", null);
        assertThat(resp.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(resp.body()).path("type").asText()).endsWith("/registry-unavailable");
    }
}
