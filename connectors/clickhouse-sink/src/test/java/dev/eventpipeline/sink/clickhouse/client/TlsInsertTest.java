package dev.eventpipeline.sink.clickhouse.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** An INSERT over https: the sliced body goes through the TLS engine intact (server: the JDK's HttpsServer). */
class TlsInsertTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aMultiSliceBodyArrivesWholeOverTls() throws Exception {
        KeyStore keys = selfSigned();
        AtomicReference<byte[]> received = new AtomicReference<>();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context(keys, true)));
        server.createContext("/", exchange -> {
            try (exchange) {
                received.set(exchange.getRequestBody().readAllBytes());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        byte[] body = new byte[SlicedBodyPublisher.SLICE * 2 + 1234];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 13);
        }
        ClickHouseHttpClient client = new ClickHouseHttpClient(
                URI.create("https://127.0.0.1:" + server.getAddress().getPort()), "default", "",
                Duration.ofSeconds(5), Duration.ofSeconds(10), context(keys, false));

        client.insert("INSERT INTO db.t FORMAT RowBinary", Map.of(), body);

        assertThat(received.get()).isEqualTo(body);
    }

    /** A key pair for 127.0.0.1 made by the JDK's keytool (no test dependency for certificates). */
    private KeyStore selfSigned() throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static SSLContext context(KeyStore keys, boolean server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        if (server) {
            KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            km.init(keys, PASSWORD);
            context.init(km.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tm.init(keys);
            context.init(null, tm.getTrustManagers(), null);
        }
        return context;
    }
}
