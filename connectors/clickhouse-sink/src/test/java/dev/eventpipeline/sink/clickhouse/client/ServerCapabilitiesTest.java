package dev.eventpipeline.sink.clickhouse.client;

import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCapabilitiesTest {

    @Test
    void oldServersGetInsertSampleWithMetadata() {
        ServerCapabilities caps = new ServerCapabilities("18.16.1", Set.of("insert_sample_with_metadata"));

        assertThat(caps.insertSettings()).containsOnlyKeys("input_format_skip_unknown_fields", "insert_sample_with_metadata");
        assertThat(caps.fillsDefaultsForOmittedFields()).isTrue();
    }

    @Test
    void currentServersGetTheRenamedSettingOnly() {
        ServerCapabilities caps = new ServerCapabilities("24.8.1", Set.of("input_format_defaults_for_omitted_fields"));

        assertThat(caps.insertSettings())
                .containsEntry("input_format_defaults_for_omitted_fields", "1")
                .containsEntry("input_format_skip_unknown_fields", "1")
                .doesNotContainKey("insert_sample_with_metadata");
    }

    @Test
    void unknownServersGetNeither() {
        ServerCapabilities caps = new ServerCapabilities("?", Set.of());

        assertThat(caps.insertSettings()).containsOnlyKeys("input_format_skip_unknown_fields");
        assertThat(caps.fillsDefaultsForOmittedFields()).isFalse();
    }

    @Test
    void detectsByAskingTheServer() throws Exception {
        try (FakeClickHouse server = new FakeClickHouse()) {
            ServerCapabilities caps = ServerCapabilities.detect(new ClickHouseHttpClient(URI.create(server.url()),
                    "default", "", Duration.ofSeconds(1), Duration.ofSeconds(1)));

            assertThat(caps.version()).isEqualTo("18.16.1");
            assertThat(caps.insertSettings()).containsKey("insert_sample_with_metadata");
            assertThat(server.requests()).extracting(FakeClickHouse.Request::sql)
                    .anyMatch(sql -> sql.contains("system.settings"));
        }
    }
}
