package dev.eventpipeline.sink.clickhouse.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for ClickHouse's HTTP interface on the JDK's HttpServer: records every request and
 * answers like 18.16 (version, system.settings) unless a test installs its own responder.
 */
public final class FakeClickHouse implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, Map<String, String> params, Map<String, List<String>> headers, String body) {
        /** The SQL: the {@code query} parameter, else the body. */
        public String sql() {
            return params.getOrDefault("query", body);
        }

        public boolean isInsert() {
            return sql().startsWith("INSERT");
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** An answer: status and body. */
    public record Response(int status, String body) {
        public static Response ok(String body) {
            return new Response(200, body);
        }
    }

    /** events_raw as 18.16's system.columns prints it (TabSeparated escapes the quotes). */
    public static final String EVENTS_RAW_COLUMNS = String.join("\n",
            "event_id\tString\t", "type\tString\t", "schema_version\tUInt32\t",
            "occurred_at\tDateTime(\\'UTC\\')\t", "user_id\tNullable(String)\t", "session_id\tString\t",
            "store_id\tString\t", "payload\tString\t", "raw\tString\t", "status\tString\t",
            "received_at\tDateTime(\\'UTC\\')\t", "ingest_task\tString\t", "kafka_topic\tString\t",
            "kafka_partition\tUInt32\t", "kafka_offset\tUInt64\t", "inserted_at\tDateTime(\\'UTC\\')\tDEFAULT") + "\n";

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Response> responder = FakeClickHouse::clickHouse18;

    public FakeClickHouse() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Request request = new Request(exchange.getRequestMethod(), params(exchange.getRequestURI()),
                        Map.copyOf(exchange.getRequestHeaders()), body);
                requests.add(request);
                Response response = responder.apply(request);
                byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            }
        });
        // a streamed INSERT holds its exchange until its body ends: other requests get their own threads
        server.setExecutor(executor);
        server.start();
    }

    /** The default: answers as ClickHouse 18.16 does to what the connector asks. */
    public static Response clickHouse18(Request request) {
        String sql = request.sql();
        if (sql.startsWith("SELECT version()")) {
            return Response.ok("18.16.1\n");
        }
        if (sql.contains("system.settings")) {
            return Response.ok("insert_sample_with_metadata\n");
        }
        if (sql.contains("system.columns")) {
            return Response.ok(EVENTS_RAW_COLUMNS);
        }
        return Response.ok("");
    }

    public void respond(Function<Request, Response> responder) {
        this.responder = responder;
    }

    /** Fails INSERTs with the given answer; everything else as 18.16. */
    public void failInserts(int status, String body) {
        respond(r -> r.isInsert() ? new Response(status, body) : clickHouse18(r));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> inserts() {
        return requests.stream().filter(Request::isInsert).toList();
    }

    public void clear() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static Map<String, String> params(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
