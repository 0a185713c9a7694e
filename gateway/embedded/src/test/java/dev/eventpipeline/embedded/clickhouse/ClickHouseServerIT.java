package dev.eventpipeline.embedded.clickhouse;

import dev.eventpipeline.embedded.PortCheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("integration")
class ClickHouseServerIT {

    @Test
    void startsQueriesStopsAndRestartsWithItsData(@TempDir Path workDir) throws Exception {
        int httpPort = PortCheck.freePort();
        int tcpPort = PortCheck.freePort();

        try (ClickHouseServer server = ClickHouseServer.start(workDir, httpPort, tcpPort)) {
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + httpPort);
            assertThat(server.isRunning()).isTrue();
            assertThat(server.query("SELECT 1").trim()).isEqualTo("1");
            assertThat(server.query("SELECT timezone()").trim()).isIn("UTC", "Etc/UTC");
            server.query("CREATE DATABASE IF NOT EXISTS it");
            server.query("CREATE TABLE it.t (id String) ENGINE = MergeTree ORDER BY id");
            server.query("INSERT INTO it.t VALUES ('a'), ('b')");
            assertThatThrownBy(() -> server.query("SELECT * FROM it.missing"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Code: 60");

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(PortCheck.isListening("127.0.0.1", httpPort)).isFalse();
        }
        assertThat(Files.exists(workDir.resolve("log/clickhouse-server.log"))).isTrue();

        try (ClickHouseServer again = ClickHouseServer.start(workDir, httpPort, tcpPort)) {
            assertThat(again.query("SELECT count() FROM it.t").trim()).isEqualTo("2");
        }
    }

    @Test
    void reusesAServerStillRunningFromAnEarlierStart(@TempDir Path workDir) throws Exception {
        int httpPort = PortCheck.freePort();
        int tcpPort = PortCheck.freePort();
        ClickHouseServer first = ClickHouseServer.start(workDir, httpPort, tcpPort);
        try {
            long pid = Long.parseLong(Files.readString(workDir.resolve("clickhouse.pid")).trim());

            ClickHouseServer second = ClickHouseServer.start(workDir, httpPort, tcpPort);

            assertThat(Long.parseLong(Files.readString(workDir.resolve("clickhouse.pid")).trim())).isEqualTo(pid);
            assertThat(second.query("SELECT 1").trim()).isEqualTo("1");
        } finally {
            first.stop();
        }
    }

    @Test
    void killLeavesNoProcessAndNextStartRecovers(@TempDir Path workDir) throws Exception {
        int httpPort = PortCheck.freePort();
        int tcpPort = PortCheck.freePort();
        ClickHouseServer server = ClickHouseServer.start(workDir, httpPort, tcpPort);
        server.kill();
        assertThat(server.isRunning()).isFalse();

        try (ClickHouseServer again = ClickHouseServer.start(workDir, httpPort, tcpPort)) {
            assertThat(again.query("SELECT 1").trim()).isEqualTo("1");
        }
    }

    @Test
    void failsWithTheServerErrorWhenThePortIsTaken(@TempDir Path workDir) throws Exception {
        int httpPort = PortCheck.freePort();
        int tcpPort = PortCheck.freePort();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(httpPort, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ClickHouseServer.start(workDir, httpPort, tcpPort))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("port " + httpPort);
        }
    }
}
