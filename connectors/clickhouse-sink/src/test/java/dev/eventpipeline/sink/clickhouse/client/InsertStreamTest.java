package dev.eventpipeline.sink.clickhouse.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link InsertStream} against the JDK's HTTP server: a chunked body, ClickHouse's answer, abort. */
class InsertStreamTest {
    private HttpServer server;
    /** What each request's body turned out to be: its bytes, or the exception that ended reading it. */
    private final BlockingQueue<Object> bodies = new ArrayBlockingQueue<>(10);
    private final BlockingQueue<String> transferEncodings = new ArrayBlockingQueue<>(10);
    private volatile int status = 200;
    private volatile String answer = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        transferEncodings.add(String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding")));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(body);
        } catch (IOException e) {
            bodies.add(e);
            exchange.close();
            return;
        }
        bodies.add(body.toByteArray());
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    private InsertStream open() {
        ClickHouseHttpClient client = new ClickHouseHttpClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "writer", "", Duration.ofSeconds(2),
                Duration.ofSeconds(10));
        return client.openInsert("INSERT INTO db.t FORMAT RowBinary", Map.of(), Duration.ofSeconds(5));
    }

    @Test
    void rowsWrittenInPiecesArriveAsOneChunkedBodyAndA200MeansStored() throws Exception {
        InsertStream stream = open();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 60_000; i++) {
            byte[] row = ("row " + i + " " + "x".repeat(i % 97) + "\n").getBytes(StandardCharsets.UTF_8);
            stream.write(row);
            sent.write(row);
        }
        assertThat(sent.size()).as("more than the queue holds: the writer waited for the sender").isGreaterThan(
                InsertStream.CHUNK * InsertStream.QUEUED);
        assertThat(stream.done()).as("no answer before the body ends").isFalse();
        stream.finish();
        stream.await();

        assertThat(stream.written()).isEqualTo(sent.size());
        assertThat((byte[]) bodies.poll(10, TimeUnit.SECONDS)).isEqualTo(sent.toByteArray());
        assertThat(transferEncodings.poll()).isEqualToIgnoringCase("chunked");
    }

    @Test
    void anErrorAnswerFailsTheInsertWithClickHouseCode() throws Exception {
        status = 500;
        answer = "Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected , before: x";
        InsertStream stream = open();
        stream.write("x".getBytes(StandardCharsets.UTF_8));
        stream.finish();

        assertThatThrownBy(stream::await).isInstanceOf(ClickHouseException.class)
                .hasMessageContaining("Cannot parse input")
                .satisfies(e -> {
                    assertThat(((ClickHouseException) e).code()).isEqualTo(27);
                    assertThat(((ClickHouseException) e).retriable()).isFalse();
                });
    }

    @Test
    void anAbortedInsertNeverEndsItsBodyCleanly() throws Exception {
        InsertStream stream = open();
        stream.write(new byte[InsertStream.CHUNK + 10]); // one whole chunk queued, some bytes not
        Thread.sleep(200);
        stream.abort();

        Object body = bodies.poll(10, TimeUnit.SECONDS);
        assertThat(body).as("ClickHouse must not see a clean end of data").isInstanceOf(IOException.class);
        assertThatThrownBy(stream::await).isInstanceOf(ClickHouseException.class)
                .satisfies(e -> assertThat(((ClickHouseException) e).retriable()).isTrue());
        assertThatThrownBy(() -> stream.write(new byte[1])).isInstanceOf(ClickHouseException.class);
    }

    @Test
    void anUnreachableServerFailsTheWriterInsteadOfBlockingIt() throws Exception {
        server.stop(0);
        InsertStream stream = open();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                stream.write(new byte[64 * 1024]);
            }
        }).isInstanceOf(ClickHouseException.class)
                .satisfies(e -> assertThat(((ClickHouseException) e).retriable()).isTrue());
    }
}
