package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.contract.EventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RequeueTest {
    static ConsumerRecord<byte[], byte[]> dlqRecord() {
        RecordHeaders h = new RecordHeaders();
        h.add(EventHeaders.RECEIVED_AT, "1764237600000".getBytes(StandardCharsets.UTF_8));
        h.add(EventHeaders.ERROR_TOPIC, "cart-events-validated".getBytes(StandardCharsets.UTF_8));
        h.add(EventHeaders.ERROR_EXCEPTION_CLASS, "java.net.SocketTimeoutException".getBytes(StandardCharsets.UTF_8));
        h.add(EventHeaders.RETRY_ATTEMPT, "1".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("cart-events-dlq", 0, 42, 1L, TimestampType.CREATE_TIME, 0, 0,
                "k".getBytes(StandardCharsets.UTF_8), "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_8), h, Optional.empty());
    }

    static String header(ProducerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void putsTheOriginalBackWithoutErrorHeadersAndCountsTheAttempt() {
        ConsumerRecord<byte[], byte[]> dlq = dlqRecord();
        assertThat(Requeue.sourceTopic(dlq)).contains("cart-events-validated");
        ProducerRecord<byte[], byte[]> back = Requeue.toSource(dlq, "cart-events-validated", 2);
        assertThat(back.topic()).isEqualTo("cart-events-validated");
        assertThat(back.key()).isEqualTo(dlq.key());
        assertThat(back.value()).isEqualTo(dlq.value());
        assertThat(header(back, EventHeaders.RECEIVED_AT)).isEqualTo("1764237600000");
        assertThat(header(back, EventHeaders.ERROR_TOPIC)).isNull();
        assertThat(header(back, EventHeaders.ERROR_EXCEPTION_CLASS)).isNull();
        assertThat(back.headers().headers(EventHeaders.RETRY_ATTEMPT)).hasSize(1);
        assertThat(header(back, EventHeaders.RETRY_ATTEMPT)).isEqualTo("2");
        assertThat(header(back, EventHeaders.DLQ_REPLAYED_FROM)).isEqualTo("0/42");
    }

    @Test
    void aParkedCopyKeepsTheFailureAndIsClassifiedParked() {
        ProducerRecord<byte[], byte[]> parked = Requeue.parked(dlqRecord(), "parked: retry budget of 1 attempt(s) exhausted");
        assertThat(parked.topic()).isEqualTo("cart-events-dlq");
        assertThat(header(parked, EventHeaders.ERROR_EXCEPTION_CLASS)).isEqualTo("java.net.SocketTimeoutException");
        ConsumerRecord<byte[], byte[]> read = new ConsumerRecord<>("cart-events-dlq", 0, 43, 2L, TimestampType.CREATE_TIME, 0, 0,
                parked.key(), parked.value(), parked.headers(), Optional.empty());
        DeadLetter letter = DeadLetterReader.toDeadLetter(read);
        assertThat(letter.classification()).isEqualTo(DeadLetterClassifier.PARKED);
        assertThat(letter.retryAttempt()).isEqualTo(1);
        assertThat(letter.reason()).startsWith("parked: retry budget");
    }
}
