package dev.eventpipeline.ingest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With a key store configured the listener speaks HTTPS/WSS only. */
class TlsListenerTest {
    private EventSourceTask task;

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void servesHttpsAndWssWithTheConfiguredKeyStore(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("listener.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "ingest", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2")
                .inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        Map<String, String> props = new HashMap<>(Map.of("name", "event-source", EventSourceTask.TASK_ID, "0",
                "listener.host", "127.0.0.1", "listener.port", "0",
                "tls.keystore.path", keystore.toString(), "tls.keystore.password", "changeit"));
        task = new EventSourceTask();
        task.initialize(new EventSourceTaskTest.FakeContext(props));
        task.start(props);

        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        HttpClient https = HttpClient.newBuilder().sslContext(trustAll).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> stats = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + task.boundPort() + "/events/stats")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("\"task\":\"event-source-0\"");

        var ws = https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + task.boundPort() + "/events/stream"),
                new java.net.http.WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
        assertThat(ws.isOutputClosed()).isFalse();
        ws.abort();

        assertThatThrownBy(() -> TestEvents.HTTP.send(HttpRequest.newBuilder(TestEvents.uri(task.boundPort(), "/events/stats"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .as("plain HTTP is not served").isInstanceOf(java.io.IOException.class);
    }
}
