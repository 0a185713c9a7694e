package dev.eventpipeline.sink.clickhouse.client;

import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseHttpClientTest {
    private FakeClickHouse server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeClickHouse();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ClickHouseHttpClient client(String password) {
        return new ClickHouseHttpClient(URI.create(server.url()), "writer", password, Duration.ofSeconds(1),
                Duration.ofSeconds(2));
    }

    @Test
    void queriesSendSqlAsBodyWithCredentialHeaders() throws Exception {
        assertThat(client("pw").query("SELECT version()")).isEqualTo("18.16.1\n");

        FakeClickHouse.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo("SELECT version()");
        assertThat(request.params()).isEmpty();
        assertThat(request.header("X-ClickHouse-User")).isEqualTo("writer");
        assertThat(request.header("X-ClickHouse-Key")).isEqualTo("pw");
    }

    @Test
    void emptyPasswordSendsNoKeyHeader() throws Exception {
        client("").query("SELECT 1");

        assertThat(server.requests().get(0).header("X-ClickHouse-Key")).isNull();
    }

    @Test
    void insertsPutStatementAndSettingsInTheUrlAndRowsInTheBody() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("input_format_skip_unknown_fields", "1");
        byte[] body = "{\"a\":\"é + &\"}\n".getBytes(StandardCharsets.UTF_8);

        client("").insert("INSERT INTO `db`.`t` FORMAT JSONEachRow", settings, body);

        FakeClickHouse.Request request = server.requests().get(0);
        assertThat(request.params()).containsEntry("query", "INSERT INTO `db`.`t` FORMAT JSONEachRow")
                .containsEntry("input_format_skip_unknown_fields", "1")
                .doesNotContainKey("compress");
        assertThat(request.body()).isEqualTo("{\"a\":\"é + &\"}\n");
    }

    @Test
    void aBodyOfSeveralSlicesArrivesWholeWithItsLength() throws Exception {
        byte[] body = new byte[SlicedBodyPublisher.SLICE * 3 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26 + (i % 7 == 0 ? -32 : 0));
        }

        client("").insert("INSERT INTO `db`.`t` FORMAT RowBinary", Map.of(), body);

        FakeClickHouse.Request request = server.requests().get(0);
        assertThat(request.header("Content-Length")).isEqualTo(String.valueOf(body.length));
        assertThat(request.body()).isEqualTo(new String(body, StandardCharsets.US_ASCII));
    }

    @Test
    void spacesAreEncodedAsPercent20() {
        URI uri = client("").uri(Map.of("query", "INSERT INTO t FORMAT JSONEachRow"));

        assertThat(uri.getRawQuery()).isEqualTo("query=INSERT%20INTO%20t%20FORMAT%20JSONEachRow");
    }

    @Test
    void errorAnswersBecomeClickHouseExceptions() {
        server.respond(r -> new Response(404, "Code: 60, e.displayText() = DB::Exception: Table db.t doesn't exist., e.what() = DB::Exception\n"));

        assertThatThrownBy(() -> client("").insert("INSERT INTO db.t FORMAT JSONEachRow", Map.of(), new byte[0]))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                    assertThat(e.code()).isEqualTo(60);
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("Table db.t doesn't exist");
                });
    }

    @Test
    void connectionRefusedIsRetriable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClickHouseHttpClient client = new ClickHouseHttpClient(URI.create("http://127.0.0.1:" + port), "default", "",
                Duration.ofMillis(500), Duration.ofSeconds(1));

        assertThatThrownBy(() -> client.query("SELECT 1"))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> assertThat(e.retriable()).isTrue());
    }

    @Test
    void slowAnswersTimeOutAsRetriable() {
        server.respond(r -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.ok("late");
        });
        ClickHouseHttpClient client = new ClickHouseHttpClient(URI.create(server.url()), "default", "",
                Duration.ofMillis(500), Duration.ofMillis(300));

        assertThatThrownBy(() -> client.query("SELECT 1"))
                .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.getMessage()).contains("HttpTimeoutException");
                });
    }
}
