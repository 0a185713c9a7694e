package dev.eventpipeline.ksql;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EnrichmentRuntimeTest {
    @Test
    void durabilityIsExplicitAndTuningIsDocumentedInTheReadme() {
        Properties p = EnrichmentRuntime.streamsConfig("127.0.0.1:9092", Path.of("state"), Map.of());

        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG))).isEqualTo("all");
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))).isEqualTo(true);
        assertThat(p.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(0);
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo(EnrichmentRuntime.APPLICATION_ID);
    }

    @Test
    void overridesWin() {
        Properties p = EnrichmentRuntime.streamsConfig("127.0.0.1:9092", Path.of("state"),
                Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1, StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4"));

        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG))).isEqualTo("lz4");
    }

    @Test
    void notStartedWhenAKsqlDbServerIsConfigured() {
        assertThat(EnrichmentRuntime.startUnlessKsqlDb(Map.of(EnrichmentRuntime.KSQLDB_URL_ENV, "http://ksqldb:8088"), "unused:9092",
                null, Path.of("state"))).isEmpty();
    }
}
