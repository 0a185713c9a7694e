package dev.eventpipeline.embedded.kafka;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {
    @Test
    void singleNodeKraftPropertiesAdvertiseTheGivenHostAndKeepTheCleanerSmall() {
        Properties p = KafkaBroker.brokerProperties(Path.of("/tmp/x"), "127.0.0.1", 19092, 19093);
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/x");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(Long.parseLong(p.getProperty("log.cleaner.dedupe.buffer.size"))).isLessThanOrEqualTo(8L << 20);
    }
}
