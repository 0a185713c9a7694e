package dev.eventpipeline.schema.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST handler on a real Jetty server with an in-memory registry. */
class SchemaRegistryHandlerTest {
    static final String V1 = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\"}},\"required\":[\"price\"],\"additionalProperties\":false}";
    static final String NARROW = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"integer\"}},\"required\":[\"price\"],\"additionalProperties\":false}";
    static final String V2 = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\"},\"note\":{\"type\":\"string\"}},\"required\":[\"price\"],\"additionalProperties\":false}";

    Server server;
    String base;
    SchemaRegistry registry;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        registry = SchemaRegistry.inMemory();
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(new SchemaRegistryHandler(registry));
        server.start();
        base = "http://127.0.0.1:" + c.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    record Reply(int status, JsonNode body, String contentType) {
    }

    Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String ct = r.headers().firstValue("Content-Type").orElse("");
        return new Reply(r.statusCode(), ct.contains("json") ? JsonMapper.get().readTree(r.body()) : null, ct);
    }

    static String register(String subject, String schema) {
        return "{\"subject\":\"" + subject + "\",\"schema\":" + schema + ",\"metadata\":{\"description\":\"d\"}}";
    }

    @Test
    void nativeRegistrationLifecycle() throws Exception {
        Reply created = call("POST", "/schemas", register("cart.x", V1));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("version").asInt()).isEqualTo(1);
        assertThat(created.contentType()).startsWith("application/json");

        Reply again = call("POST", "/schemas", register("cart.x", V1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("created").asBoolean()).isFalse();

        Reply conflict = call("POST", "/schemas", register("cart.x", NARROW));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().get("incompatibilities").get(0).asText()).contains("/price: TYPE_NARROWED");

        Reply dry = call("POST", "/schemas/check", register("cart.x", V2));
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.body().get("compatible").asBoolean()).isTrue();
        assertThat(dry.body().get("version").asInt()).isEqualTo(2);
        assertThat(registry.versions("cart.x")).hasSize(1);

        assertThat(call("POST", "/schemas", register("cart.x", V2)).status()).isEqualTo(201);
        Reply list = call("GET", "/schemas", null);
        assertThat(list.body().get("subjects").get(0).get("versions").toString()).isEqualTo("[1,2]");

        Reply v = call("GET", "/schemas/cart.x/2", null);
        assertThat(v.body().get("schema").get("properties").has("note")).isTrue();
        assertThat(call("GET", "/schemas/cart.x/latest", null).body().get("version").asInt()).isEqualTo(2);
        assertThat(call("GET", "/schemas/cart.x/9", null).status()).isEqualTo(404);
        assertThat(call("GET", "/schemas/cart.x", null).body().get("versions")).hasSize(2);

        Reply meta = call("PUT", "/schemas/cart.x/1", "{\"metadata\":{\"description\":\"old\",\"deprecated\":true}}");
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.body().get("metadata").get("deprecated").asBoolean()).isTrue();
        Reply immutable = call("PUT", "/schemas/cart.x/1", "{\"schema\":" + NARROW + ",\"metadata\":{}}");
        assertThat(immutable.status()).isEqualTo(409);
        assertThat(immutable.body().get("error").asText()).contains("immutable");
    }

    @Test
    void compatibilityConfig() throws Exception {
        assertThat(call("GET", "/schemas/config", null).body().get("compatibility").asText()).isEqualTo("BACKWARD");
        assertThat(call("PUT", "/schemas/config/cart.x", "{\"compatibility\":\"none\"}").body().get("compatibility").asText()).isEqualTo("NONE");
        assertThat(call("PUT", "/schemas/config", "{\"compatibility\":\"sideways\"}").status()).isEqualTo(422);
        call("POST", "/schemas", register("cart.x", V1));
        assertThat(call("POST", "/schemas", register("cart.x", NARROW)).status()).isEqualTo(201);
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertThat(call("POST", "/schemas", "{not json").status()).isEqualTo(400);
        assertThat(call("POST", "/schemas", "{\"subject\":\"x\"}").status()).isEqualTo(422);
        assertThat(call("POST", "/schemas", register("x", "{\"type\":17}")).status()).isEqualTo(422);
        assertThat(call("GET", "/nowhere", null).status()).isEqualTo(404); // left to the next handler
    }

    @Test
    void confluentDialect() throws Exception {
        String schemaString = JsonMapper.get().writeValueAsString(V1);
        Reply reg = call("POST", "/subjects/cart.x/versions", "{\"schemaType\":\"JSON\",\"schema\":" + schemaString + "}");
        assertThat(reg.status()).isEqualTo(200);
        assertThat(reg.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        long id = reg.body().get("id").asLong();
        assertThat(call("GET", "/subjects", null).body().toString()).isEqualTo("[\"cart.x\"]");
        assertThat(call("GET", "/subjects/cart.x/versions", null).body().toString()).isEqualTo("[1]");
        Reply latest = call("GET", "/subjects/cart.x/versions/latest", null);
        assertThat(latest.body().get("schemaType").asText()).isEqualTo("JSON");
        assertThat(JsonMapper.get().readTree(latest.body().get("schema").asText())).isEqualTo(JsonMapper.get().readTree(V1));
        assertThat(call("GET", "/schemas/ids/" + id, null).body().get("schema").isTextual()).isTrue();
        assertThat(call("GET", "/schemas/ids/999", null).body().get("error_code").asInt()).isEqualTo(40401);
        assertThat(call("POST", "/subjects/cart.x", "{\"schema\":" + schemaString + "}").body().get("version").asInt()).isEqualTo(1);

        String narrow = JsonMapper.get().writeValueAsString(NARROW);
        Reply compat = call("POST", "/compatibility/subjects/cart.x/versions/latest", "{\"schema\":" + narrow + "}");
        assertThat(compat.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(call("POST", "/subjects/cart.x/versions", "{\"schema\":" + narrow + "}").status()).isEqualTo(409);
        assertThat(call("PUT", "/config/cart.x", "{\"compatibility\":\"FULL\"}").body().get("compatibility").asText()).isEqualTo("FULL");
        assertThat(call("GET", "/config/cart.x", null).body().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(call("GET", "/config", null).body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void shippedSchemasAreListed() throws Exception {
        ShippedSchemas.registerAll(registry);
        Reply list = call("GET", "/schemas", null);
        assertThat(list.body().get("subjects")).hasSize(7);
    }
}
