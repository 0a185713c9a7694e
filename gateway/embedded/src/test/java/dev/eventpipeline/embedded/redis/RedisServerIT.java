package dev.eventpipeline.embedded.redis;

import dev.eventpipeline.embedded.PortCheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class RedisServerIT {
    @Test
    void startsReusesAndStops(@TempDir Path dir) throws Exception {
        int port = PortCheck.freePort();
        RedisServer first = RedisServer.start(dir, port);
        try {
            assertThat(first.ping()).isTrue();
            assertThat(first.url()).isEqualTo("redis://127.0.0.1:" + port);
            RedisServer again = RedisServer.start(dir, port);
            assertThat(again.ping()).isTrue();
        } finally {
            first.stop();
        }
        assertThat(first.ping()).isFalse();
        assertThat(PortCheck.isListening("127.0.0.1", port)).isFalse();
    }
}
