package dev.eventpipeline.sink.clickhouse.config;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsConfigTest {
    @TempDir
    Path dir;

    @Test
    void noTrustStoreMeansTheJvmDefault() {
        assertThat(new ClickHouseSinkConfig(Map.of()).sslContext()).isNull();
    }

    @Test
    void aTrustStoreFileBecomesTheClientsTlsContext() throws Exception {
        Path file = dir.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "secret".toCharArray());
        }
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of("clickhouse.url", "https://ch.example:8443",
                "clickhouse.ssl.truststore.location", file.toString(), "clickhouse.ssl.truststore.password", "secret"));

        assertThat(config.sslContext()).isNotNull();
        assertThat(ClickHouseHttpClient.of(config)).isNotNull();
    }

    @Test
    void anUnreadableTrustStoreNamesTheKey() {
        ClickHouseSinkConfig config = new ClickHouseSinkConfig(Map.of(
                "clickhouse.ssl.truststore.location", dir.resolve("missing.p12").toString()));

        assertThatThrownBy(config::sslContext).isInstanceOf(ConfigException.class)
                .hasMessageContaining("clickhouse.ssl.truststore.location").hasMessageContaining("cannot load the trust store");
    }
}
