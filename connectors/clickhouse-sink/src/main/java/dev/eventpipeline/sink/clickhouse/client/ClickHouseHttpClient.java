package dev.eventpipeline.sink.clickhouse.client;

import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ClickHouse's HTTP interface over {@link HttpClient} (one per task, connections kept alive).
 * Statements go in the {@code query} URL parameter or the body, settings as URL parameters,
 * credentials in {@code X-ClickHouse-User}/{@code X-ClickHouse-Key} (accepted by 18.16 and current
 * releases). {@code compress=1} is never sent: 18.16 then answers SELECTs with empty bodies.
 */
public final class ClickHouseHttpClient {
    private final URI base;
    private final String user;
    private final String password;
    private final Duration requestTimeout;
    private final HttpClient http;

    public ClickHouseHttpClient(URI base, String user, String password, Duration connectTimeout,
                                Duration requestTimeout) {
        this(base, user, password, connectTimeout, requestTimeout, null);
    }

    /** @param sslContext trust material for https:// URLs; null: the JVM's default trust store */
    public ClickHouseHttpClient(URI base, String user, String password, Duration connectTimeout,
                                Duration requestTimeout, javax.net.ssl.SSLContext sslContext) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.user = user;
        this.password = password == null ? "" : password;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1 explicitly: with HTTP_2 preferred the JDK sends an h2c upgrade ClickHouse does not speak.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
    }

    public static ClickHouseHttpClient of(ClickHouseSinkConfig config) {
        return new ClickHouseHttpClient(config.url(), config.user(), config.password().value(),
                config.connectTimeout(), config.requestTimeout(), config.sslContext());
    }

    /** Runs a statement sent as the request body; returns the response body. */
    public String query(String sql) throws ClickHouseException {
        return send(base, HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8), sql);
    }

    /**
     * Sends {@code body} as the data of {@code insertSql} (e.g. {@code INSERT INTO t FORMAT JSONEachRow}).
     * ClickHouse answers only after the whole block is written: 200 means the rows are stored.
     */
    public void insert(String insertSql, Map<String, String> settings, byte[] body) throws ClickHouseException {
        Map<String, String> params = new LinkedHashMap<>(settings);
        params.put("query", insertSql);
        send(uri(params), new SlicedBodyPublisher(body), insertSql);
    }

    /**
     * Starts an INSERT whose body is written while it is sent ({@link InsertStream}). The request may stay
     * open for {@code openFor} (the longest a batch is written into it) plus the request timeout.
     */
    public InsertStream openInsert(String insertSql, Map<String, String> settings, Duration openFor) {
        Map<String, String> params = new LinkedHashMap<>(settings);
        params.put("query", insertSql);
        InsertStream stream = new InsertStream();
        InputStream body = stream.body();
        HttpRequest request = request(uri(params), HttpRequest.BodyPublishers.ofInputStream(() -> body),
                requestTimeout.plus(openFor));
        stream.sending(http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw new java.util.concurrent.CompletionException(cause instanceof IOException io
                                ? ClickHouseErrors.fromIOException(base.toString(), io) : cause);
                    }
                    if (response.statusCode() != 200) {
                        throw new java.util.concurrent.CompletionException(
                                ClickHouseErrors.fromResponse(response.statusCode(), response.headers(), response.body()));
                    }
                    return null;
                }));
        return stream;
    }

    URI uri(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> {
            query.append(query.length() == 0 ? "?" : "&").append(encode(k)).append('=').append(encode(v));
        });
        return URI.create(base + query.toString());
    }

    private HttpRequest request(URI uri, HttpRequest.BodyPublisher body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("X-ClickHouse-User", user)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .POST(body);
        if (!password.isEmpty()) {
            request.header("X-ClickHouse-Key", password);
        }
        return request.build();
    }

    private String send(URI uri, HttpRequest.BodyPublisher body, String what) throws ClickHouseException {
        HttpResponse<String> response;
        try {
            response = http.send(request(uri, body, requestTimeout), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ClickHouseErrors.fromIOException(base.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted while waiting for ClickHouse (" + what + ")",
                    ClickHouseException.NO_CODE, ClickHouseException.NO_STATUS, true, e);
        }
        if (response.statusCode() != 200) {
            throw ClickHouseErrors.fromResponse(response.statusCode(), response.headers(), response.body());
        }
        return response.body();
    }

    /** Percent-encoding with %20 for spaces (ClickHouse's URL parser does not read '+' as a space everywhere). */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "ClickHouseHttpClient[" + base + ", user " + user + "]";
    }
}
