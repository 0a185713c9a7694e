package dev.eventpipeline.embedded.clickhouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseServerTest {

    @Test
    void readsTheStatusLine() throws IOException {
        assertThat(ClickHouseServer.status("HTTP/1.0 200 OK\r\nContent-Type: text/plain")).isEqualTo(200);
        assertThat(ClickHouseServer.status("HTTP/1.1 404 Not Found")).isEqualTo(404);
        assertThatThrownBy(() -> ClickHouseServer.status("garbage")).isInstanceOf(IOException.class);
    }

    @Test
    void tailKeepsTheEndOfLongLogs(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("err.log");
        Files.writeString(log, "x".repeat(10_000) + "Address already in use");

        assertThat(ClickHouseServer.tail(log)).endsWith("Address already in use").hasSizeLessThan(4_100);
        assertThat(ClickHouseServer.tail(dir.resolve("missing.log"))).isEmpty();
    }
}
