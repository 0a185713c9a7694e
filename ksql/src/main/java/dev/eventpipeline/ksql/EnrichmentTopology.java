package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventType;
import dev.eventpipeline.contract.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The migrations as one Kafka Streams topology (what ksqlDB compiles them to, written by hand):
 * V000001 source + enriched stream, V000002 routes, V000003 profile updates. Keys and values are
 * strings/JSON bytes in and out; output records keep the input timestamp (ROWTIME).
 */
public final class EnrichmentTopology {
    private static final Logger log = LoggerFactory.getLogger(EnrichmentTopology.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** An enriched row and its serialised form (serialised once, written to several topics). */
    record Row(JsonNode value, byte[] bytes) {
    }

    private final AtomicLong skipped = new AtomicLong();
    private final Map<String, ?> functionConfig;

    public EnrichmentTopology(Map<String, ?> functionConfig) {
        this.functionConfig = functionConfig;
    }

    /** Records skipped because ksqlDB's JSON format could not have read them (logged, like the processing log). */
    public long skipped() {
        return skipped.get();
    }

    public Topology build() {
        Enricher enricher = new Enricher(functionConfig);
        Serde<String> keys = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();

        // V000001: CREATE STREAM cart_events_validated (...) over cart-events-validated
        KStream<String, ObjectNode> validated = builder
                .stream(Topics.VALIDATED, Consumed.with(keys, bytes).withName("cart_events_validated"))
                .flatMapValues(value -> {
                    ObjectNode row = SourceSchema.project(JsonBytes.read(value));
                    if (row == null) {
                        skipped.incrementAndGet();
                        log.warn("skipped a record of {} that ksqlDB's JSON format cannot read", Topics.VALIDATED);
                        return List.of();
                    }
                    return List.of(row);
                }, Named.as("read-columns"));

        // V000003 (reads the source columns only, so it runs before enrichment mutates the row)
        validated.filter((k, row) -> !row.path("userId").isNull(), Named.as("user_profile_last_seen-where"))
                .map((k, row) -> {
                    ObjectNode value = F.objectNode();
                    value.set("lastSeen", row.get("occurredAt"));
                    return org.apache.kafka.streams.KeyValue.pair(row.get("userId").asText(), JsonBytes.write(value));
                }, Named.as("user_profile_last_seen-select"))
                .to(Topics.USER_PROFILE_LAST_SEEN, Produced.with(keys, bytes).withName("user_profile_last_seen"));

        // V000001: CREATE STREAM cart_events_enriched AS SELECT ..., STRUCT(...) AS `enrichment`
        KStream<String, Row> enriched = validated.mapValues(row -> {
            ObjectNode value = enricher.enrich(row);
            return new Row(value, JsonBytes.write(value));
        }, Named.as("cart_events_enriched-select"));
        enriched.mapValues(Row::bytes, Named.as("cart_events_enriched-bytes"))
                .to(Topics.ENRICHED, Produced.with(keys, bytes).withName("cart_events_enriched"));

        // V000002: one filtered stream per route
        for (QueryCatalog.Route route : QueryCatalog.ROUTES) {
            enriched.filter((k, row) -> route.predicate().test(row.value()), Named.as(route.name() + "-where"))
                    .mapValues(Row::bytes, Named.as(route.name() + "-bytes"))
                    .to(route.topic(), Produced.with(keys, bytes).withName(route.name()));
        }

        // V000003: CREATE TABLE user_profile_purchases AS SELECT `userId`, COUNT(*), LATEST_BY_OFFSET(`occurredAt`) ... GROUP BY `userId`
        enriched.filter((k, row) -> EventType.ORDER_COMPLETED.wireName().equals(row.value().path("type").asText(null))
                                && !row.value().path("userId").isNull(), Named.as("user_profile_purchases-where"))
                // value: occurredAt, "" for null (Kafka Streams drops null values before aggregating)
                .map((k, row) -> org.apache.kafka.streams.KeyValue.pair(row.value().get("userId").asText(),
                        row.value().get("occurredAt").isNull() ? "" : row.value().get("occurredAt").asText()),
                        Named.as("user_profile_purchases-groupby"))
                .groupByKey(Grouped.with("user_profile_purchases-by-user", keys, Serdes.String()))
                .aggregate(() -> JsonBytes.write(purchases(0, null)),
                        (userId, occurredAt, agg) -> {
                            JsonNode current = JsonBytes.read(agg);
                            // LATEST_BY_OFFSET ignores nulls: a null occurredAt keeps the previous value
                            String latest = occurredAt.isEmpty() ? current.path("lastPurchaseAt").asText(null) : occurredAt;
                            return JsonBytes.write(purchases(current.path("purchaseCount").asLong() + 1, latest));
                        },
                        Named.as("user_profile_purchases-aggregate"),
                        Materialized.<String, byte[], org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                                "user_profile_purchases-store").withKeySerde(keys).withValueSerde(bytes))
                .toStream(Named.as("user_profile_purchases-changes"))
                .to(Topics.USER_PROFILE_PURCHASES, Produced.with(keys, bytes).withName("user_profile_purchases"));

        return builder.build();
    }

    private static ObjectNode purchases(long count, String lastPurchaseAt) {
        ObjectNode value = F.objectNode();
        value.put("purchaseCount", count);
        value.put("lastPurchaseAt", lastPurchaseAt);
        return value;
    }
}
