package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.embedded.redis.RedisServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded twin on a real KRaft broker and a real Redis: validated events become enriched
 * records, routed records and profile updates, with user and store data read from Redis.
 */
@Tag("integration")
class EnrichmentRuntimeIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void validatedEventsBecomeEnrichedRoutedAndProfileRecords() throws Exception {
        Path work = Files.createTempDirectory("enrichment-it");
        int redisPort = PortCheck.freePort();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
             RedisServer redis = RedisServer.start(work.resolve("redis"), redisPort)) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(Topics.VALIDATED, 2, (short) 1));
            topics.add(new NewTopic(Topics.ENRICHED, 2, (short) 1));
            topics.add(new NewTopic(Topics.DLQ, 1, (short) 1));
            Topics.ENRICHMENT_OUTPUTS.forEach(t -> topics.add(new NewTopic(t, 2, (short) 1)));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(topics).all().get();
            }
            try (JedisPooled jedis = new JedisPooled("127.0.0.1", redisPort)) {
                jedis.hset("user_profile:u-1", Map.of("purchaseCount", "2", "lastSeen", "2026-11-20T08:00:00Z"));
                jedis.hset("store_config:store-berlin", Map.of("timezone", "Europe/Berlin", "businessHours", "08:00-20:00"));
            }
            try (EnrichmentRuntime runtime = EnrichmentRuntime.start(broker.bootstrapServers(), redis.url(), work.resolve("streams"))) {
                String session = "s-" + UUID.randomUUID();
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new StringSerializer(), new StringSerializer())) {
                    producer.send(new ProducerRecord<>(Topics.VALIDATED, session, event("e-1", "cart.item_added", session,
                            "{\"productId\":\"A\",\"quantity\":3,\"unitPrice\":100.0,\"currency\":\"EUR\",\"source\":\"web\",\"discount\":0}")));
                    producer.send(new ProducerRecord<>(Topics.VALIDATED, session, event("e-2", "checkout.started", session,
                            "{\"cartId\":\"c-1\",\"checkoutId\":\"k-1\",\"itemCount\":3,\"subtotal\":300.0,\"currency\":\"EUR\"}")));
                    producer.send(new ProducerRecord<>(Topics.VALIDATED, session, event("e-3", "order.completed", session,
                            "{\"orderId\":\"o-1\",\"checkoutId\":\"k-1\",\"items\":[{\"productId\":\"A\",\"quantity\":3,\"unitPrice\":100.0}],"
                                    + "\"subtotal\":300.0,\"tax\":57.0,\"shipping\":0,\"total\":357.0,\"currency\":\"EUR\",\"paymentMethod\":\"card\"}")));
                    // unreadable as the source columns: dead-lettered, not skipped
                    producer.send(new ProducerRecord<>(Topics.VALIDATED, session, event("e-4", "cart.item_added", session,
                            "{\"productId\":\"A\",\"quantity\":\"two\",\"unitPrice\":1.0,\"currency\":\"EUR\"}")));
                    producer.flush();
                }
                Map<String, List<ConsumerRecord<String, String>>> out = consume(broker.bootstrapServers(),
                        Map.of(Topics.ENRICHED, 3, Topics.ROUTE_CHECKOUT_FUNNEL, 2, Topics.ROUTE_HIGH_VALUE_CARTS, 2,
                                Topics.USER_PROFILE_LAST_SEEN, 3, Topics.USER_PROFILE_PURCHASES, 1,
                                Topics.USER_PROFILE_PURCHASE_HISTORY, 1, Topics.DLQ, 1));
                // A probing rebalance may still be settling after the outputs arrived: healthy means it
                // returns to RUNNING, never ERROR.
                long deadline = System.currentTimeMillis() + 60_000;
                while (runtime.state() != KafkaStreams.State.RUNNING && runtime.state().isRunningOrRebalancing()
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(runtime.state()).isEqualTo(KafkaStreams.State.RUNNING);

                JsonNode first = JSON.readTree(out.get(Topics.ENRICHED).get(0).value());
                assertThat(out.get(Topics.ENRICHED).get(0).key()).isEqualTo(session);
                assertThat(first.get("eventId").asText()).isEqualTo("e-1");
                assertThat(first.at("/payload/unitPrice").asDouble()).isEqualTo(100.0);
                assertThat(first.at("/enrichment/user/purchaseCount").asLong()).isEqualTo(2);
                // two purchases but no recorded history: the lifetime value is unknown, not understated
                assertThat(first.at("/enrichment/user/lifetimeValue").isNull()).isTrue();
                assertThat(first.at("/enrichment/user/segment").isNull()).isTrue();
                assertThat(first.at("/enrichment/store/timezone").asText()).isEqualTo("Europe/Berlin");
                assertThat(first.at("/enrichment/store/openNow").isBoolean()).isTrue();
                assertThat(first.at("/enrichment/session/position").asLong()).isEqualTo(1);
                assertThat(first.at("/enrichment/cart/valueEur").asDouble()).isEqualTo(300.0);
                assertThat(first.at("/enrichment/meta/redisDegraded").asBoolean()).isFalse();
                assertThat(Instant.parse(first.at("/enrichment/meta/enrichedAt").asText())).isBefore(Instant.now());
                JsonNode third = JSON.readTree(out.get(Topics.ENRICHED).get(2).value());
                assertThat(third.at("/enrichment/session/position").asLong()).isEqualTo(3);

                assertThat(out.get(Topics.ROUTE_CHECKOUT_FUNNEL)).extracting(r -> JSON.readTree(r.value()).get("eventId").asText())
                        .containsExactly("e-2", "e-3");
                assertThat(out.get(Topics.ROUTE_HIGH_VALUE_CARTS)).extracting(r -> JSON.readTree(r.value()).get("eventId").asText())
                        .containsExactly("e-1", "e-2");
                ConsumerRecord<String, String> purchase = out.get(Topics.USER_PROFILE_PURCHASES).get(0);
                assertThat(purchase.key()).isEqualTo("u-1");
                assertThat(JSON.readTree(purchase.value()).get("purchaseCount").asLong()).isEqualTo(1);
                assertThat(out.get(Topics.USER_PROFILE_LAST_SEEN).get(2).key()).isEqualTo("u-1");
                ConsumerRecord<String, String> history = out.get(Topics.USER_PROFILE_PURCHASE_HISTORY).get(0);
                assertThat(history.key()).isEqualTo("u-1");
                assertThat(JSON.readTree(history.value())).isEqualTo(JSON.readTree(
                        "{\"purchaseHistory\":[{\"orderId\":\"o-1\",\"total\":357.0,\"currency\":\"EUR\"}]}"));

                assertThat(out.get(Topics.ENRICHED)).hasSize(3);
                ConsumerRecord<String, String> letter = out.get(Topics.DLQ).get(0);
                assertThat(letter.key()).isEqualTo(session);
                assertThat(JSON.readTree(letter.value()).get("eventId").asText()).isEqualTo("e-4");
                assertThat(header(letter, EventHeaders.ERROR_STAGE)).isEqualTo(EventHeaders.STAGE_ENRICHMENT_READ);
                assertThat(header(letter, EventHeaders.ERROR_REASON)).endsWith("/payload/quantity: not an INT: \"two\"");
                assertThat(header(letter, EventHeaders.ERROR_TOPIC)).isEqualTo(Topics.VALIDATED);
                assertThat(header(letter, EventHeaders.ERROR_CONNECTOR)).isEqualTo(EnrichmentRuntime.APPLICATION_ID);
                assertThat(runtime.deadLetters().get(EventHeaders.STAGE_ENRICHMENT_READ)).isEqualTo(1);
                assertThat(runtime.metrics()).anySatisfy((name, value) -> {
                    assertThat(name.name()).isEqualTo("dead-letter-total");
                    assertThat(value.metricValue()).isEqualTo(1.0);
                });
            }
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String event(String id, String type, String session, String payload) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"schemaVersion\":1,\"occurredAt\":\""
                + Instant.now() + "\",\"userId\":\"u-1\",\"sessionId\":\"" + session + "\",\"storeId\":\"store-berlin\",\"payload\":"
                + payload + "}";
    }

    static Map<String, List<ConsumerRecord<String, String>>> consume(String bootstrap, Map<String, Integer> expected) {
        Map<String, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        expected.keySet().forEach(t -> out.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "it-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(expected.keySet());
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> out.get(r.topic()).add(r));
                return expected.entrySet().stream().allMatch(e -> out.get(e.getKey()).size() >= e.getValue());
            });
        }
        return out;
    }
}
