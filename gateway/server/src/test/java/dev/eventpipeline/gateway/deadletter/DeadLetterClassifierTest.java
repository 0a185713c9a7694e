package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.contract.EventHeaders;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterClassifierTest {
    @Test
    void schemaInvalidEventsArePermanent() {
        assertThat(DeadLetterClassifier.classify(Map.of(EventHeaders.ERROR_REASON, "/payload/sku: required"))).isEqualTo("permanent");
    }

    @Test
    void converterFailuresArePermanent() {
        assertThat(DeadLetterClassifier.classify(Map.of(EventHeaders.ERROR_STAGE, "VALUE_CONVERTER",
                EventHeaders.ERROR_EXCEPTION_CLASS, "org.apache.kafka.connect.errors.RetriableException"))).isEqualTo("permanent");
    }

    @Test
    void downstreamTroubleIsTransient() {
        assertThat(DeadLetterClassifier.classify(Map.of(EventHeaders.ERROR_STAGE, "TASK_PUT",
                EventHeaders.ERROR_EXCEPTION_CLASS, "java.net.SocketTimeoutException"))).isEqualTo("transient");
        assertThat(DeadLetterClassifier.classify(Map.of(EventHeaders.ERROR_STAGE, "TASK_PUT",
                EventHeaders.ERROR_EXCEPTION_CLASS, "org.apache.kafka.connect.errors.RetriableException"))).isEqualTo("transient");
    }

    @Test
    void unknownFailuresArePermanentSoTheyAreNotRetriedInALoop() {
        assertThat(DeadLetterClassifier.classify(Map.of(EventHeaders.ERROR_STAGE, "TASK_PUT",
                EventHeaders.ERROR_EXCEPTION_CLASS, "org.apache.kafka.connect.errors.DataException"))).isEqualTo("permanent");
        assertThat(DeadLetterClassifier.classify(Map.of())).isEqualTo("permanent");
    }
}
