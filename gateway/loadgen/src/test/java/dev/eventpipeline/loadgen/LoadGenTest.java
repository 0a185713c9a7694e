package dev.eventpipeline.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGenTest {
    @Test
    void eventsAreValidEnvelopesOfAboutThreeHundredBytesWithParsableIds() throws Exception {
        String e = Events.one("run1", 3, 4711);
        var node = new ObjectMapper().readTree(e);
        assertThat(node.path("eventId").asText()).isEqualTo("run1-3-4711");
        assertThat(node.path("sessionId").asText()).isNotBlank();
        assertThat(node.path("payload").isObject()).isTrue();
        assertThat(e.length()).isBetween(250, 400);
        assertThat(Events.seqOf("run1-3-4711")).isEqualTo(4711);
        assertThat(Events.seqOf("nonsense")).isEqualTo(-1);
        assertThat(AckLedger.eventIdOf(e)).isEqualTo("run1-3-4711");
    }

    @Test
    void histogramPercentiles() {
        Histogram h = new Histogram();
        for (int i = 1; i <= 100; i++) {
            h.recordNanos(i * 1_000_000L);
        }
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentileMs(50)).isBetween(50.0, 50.1);
        assertThat(h.percentileMs(99)).isBetween(99.0, 99.1);
        assertThat(h.maxMs()).isEqualTo(100.0);
    }

    @Test
    void optionsParse() {
        LoadGen.Options o = LoadGen.Options.parse(new String[]{"--mode", "http", "--rate=5000", "--batch", "50",
                "--duration", "10", "--concurrency", "8", "--bootstrap", "k:9092", "--no-progress"});
        assertThat(o.mode()).isEqualTo("http");
        assertThat(o.rate()).isEqualTo(5000);
        assertThat(o.batch()).isEqualTo(50);
        assertThat(o.concurrency()).isEqualTo(8);
        assertThat(o.bootstrap()).isEqualTo("k:9092");
        assertThat(o.progress()).isFalse();
        assertThat(o.url()).isEqualTo("http://127.0.0.1:8088");
    }
}
