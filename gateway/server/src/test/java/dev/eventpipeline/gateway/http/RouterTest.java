package dev.eventpipeline.gateway.http;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {
    Server server;
    String base;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .add("GET", "/v1/things/{id}", (req, p) -> Reply.json(200, Map.of("id", p.get("id"))))
                .add("PUT", "/v1/things/{id}", (req, p) -> Reply.json(200, Map.of("put", p.get("id"))))
                .add("GET", "/v1/boom", (req, p) -> {
                    throw new IllegalStateException("kaput");
                });
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(router);
        server.start();
        base = "http://127.0.0.1:" + c.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void templatesBindParameters() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/things/42");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"id\" : \"42\"");
        assertThat(send("PUT", "/v1/things/7").body()).contains("\"put\" : \"7\"");
    }

    @Test
    void unknownPathIsA404Problem() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(Problem.CONTENT_TYPE));
        assertThat(r.body()).contains("\"status\" : 404", "\"instance\" : \"/v1/nope\"", "not-found");
        assertThat(send("GET", "/v1/things/").statusCode()).isEqualTo(404);
    }

    @Test
    void wrongMethodIsA405ProblemWithAllow() throws Exception {
        HttpResponse<String> r = send("DELETE", "/v1/things/1");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("GET, PUT");
        assertThat(r.body()).contains("DELETE is not supported on /v1/things/1");
    }

    @Test
    void handlerFailureIsA500ProblemNotACrash() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("IllegalStateException: kaput");
        assertThat(send("GET", "/v1/things/1").statusCode()).isEqualTo(200);
    }
}
