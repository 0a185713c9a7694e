package dev.eventpipeline.ingest.hooks;

import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.ShippedSchemas;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryInvalidReasonResolverTest {
    static final RecordMetadata DLQ = new RecordMetadata(new TopicPartition("cart-events-dlq", 0), 7, 0, 0L, 0, 0);

    static SourceRecord record(String json) {
        return new SourceRecord(Map.of(), Map.of(), "cart-events-raw", Schema.STRING_SCHEMA, json);
    }

    static String event(String payload) {
        return "{\"eventId\":\"e-1\",\"type\":\"cart.item_added\",\"schemaVersion\":1,\"occurredAt\":\"2026-11-27T08:00:00Z\","
                + "\"sessionId\":\"s\",\"storeId\":\"st\",\"payload\":" + payload + "}";
    }

    @Test
    void reportsTheValidatorsReasonForTheClient() {
        try (SchemaRegistry registry = SchemaRegistry.inMemory()) {
            ShippedSchemas.registerAll(registry);
            RegistryInvalidReasonResolver resolver = new RegistryInvalidReasonResolver(registry);
            String reason = resolver.reasonFor(record(event(
                    "{\"productId\":\"p\",\"quantity\":0,\"price\":1.5,\"currency\":\"EUR\"}")), DLQ);
            assertThat(reason).contains("quantity").doesNotContain("routed to");
        }
    }

    @Test
    void fallsBackToTheDlqTopicWhenTheEventIsValidNow() {
        try (SchemaRegistry registry = SchemaRegistry.inMemory()) {
            ShippedSchemas.registerAll(registry);
            RegistryInvalidReasonResolver resolver = new RegistryInvalidReasonResolver(registry);
            assertThat(resolver.reasonFor(record(event(
                    "{\"productId\":\"p\",\"quantity\":1,\"price\":1.5,\"currency\":\"EUR\"}")), DLQ))
                    .isEqualTo("routed to cart-events-dlq");
        }
    }

    @Test
    void needsAValidateEventTransformOnTheConnector() {
        assertThatThrownBy(() -> new RegistryInvalidReasonResolver().configure(Map.of("topic", "cart-events-raw")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("registry.bootstrap.servers");
    }
}
