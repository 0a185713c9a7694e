package dev.eventpipeline.ksql;

import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterWriterTest {
    final DeadLetterCounts counts = new DeadLetterCounts();
    final DeadLetterWriter writer = new DeadLetterWriter(counts);
    final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void addsTheErrorHeadersToACopyOfTheOriginalHeadersAndCounts() {
        context.setRecordMetadata(Topics.VALIDATED, 1, 7);
        Headers original = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        IllegalStateException error = new IllegalStateException("boom");

        Headers headers = writer.headers(context, original,
                new DeadLetter(new byte[] {1}, EventHeaders.STAGE_ENRICHMENT_FUNCTION, "CART_FEATURES failed", Enricher.class, error));

        assertThat(header(headers, "trace")).isEqualTo("t-1");
        assertThat(header(headers, EventHeaders.ERROR_TOPIC)).isEqualTo(Topics.VALIDATED);
        assertThat(header(headers, EventHeaders.ERROR_PARTITION)).isEqualTo("1");
        assertThat(header(headers, EventHeaders.ERROR_OFFSET)).isEqualTo("7");
        assertThat(header(headers, EventHeaders.ERROR_STAGE)).isEqualTo(EventHeaders.STAGE_ENRICHMENT_FUNCTION);
        assertThat(header(headers, EventHeaders.ERROR_REASON)).isEqualTo("CART_FEATURES failed");
        assertThat(header(headers, EventHeaders.ERROR_CLASS)).isEqualTo(Enricher.class.getName());
        assertThat(header(headers, EventHeaders.ERROR_EXCEPTION_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(headers, EventHeaders.ERROR_EXCEPTION_STACKTRACE)).contains("boom");
        assertThat(original.toArray()).hasSize(1);
        assertThat(counts.get(EventHeaders.STAGE_ENRICHMENT_FUNCTION)).isEqualTo(1);
    }

    @Test
    void anUnreadableRecordHasNoStackTrace() {
        Headers headers = writer.headers(context, new RecordHeaders(), new DeadLetter(new byte[0], EventHeaders.STAGE_ENRICHMENT_READ,
                "not JSON", SourceSchema.class, new UnreadableRecordException("not JSON")));

        assertThat(header(headers, EventHeaders.ERROR_EXCEPTION_CLASS)).isEqualTo(UnreadableRecordException.class.getName());
        assertThat(header(headers, EventHeaders.ERROR_EXCEPTION_STACKTRACE)).isNull();
        assertThat(counts.get(EventHeaders.STAGE_ENRICHMENT_READ)).isEqualTo(1);
    }
}
