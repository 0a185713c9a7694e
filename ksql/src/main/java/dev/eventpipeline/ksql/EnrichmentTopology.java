package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventHeaders;
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

/**
 * The migrations as one Kafka Streams topology (what ksqlDB compiles them to, written by hand):
 * V000001 source + enriched stream, V000002 routes, V000003 profile updates, V000004 per-store route. Keys and values are
 * strings/JSON bytes in and out; output records keep the input timestamp (ROWTIME). Nothing is
 * dropped silently: a record that cannot be read into the source columns, or for which a function
 * fails, goes to {@link Topics#DLQ} with the pipeline's error headers ({@link DeadLetterProcessor}).
 */
public final class EnrichmentTopology {
    private static final Logger log = LoggerFactory.getLogger(EnrichmentTopology.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A record read into the source columns, with its original value bytes (for a dead letter). */
    record Source(ObjectNode row, byte[] original) {
    }

    /** The result of reading one record: a source row, or a dead letter. */
    record Readout(Source source, DeadLetter deadLetter) {
    }

    /** An enriched row, its serialised form (serialised once, written to several topics), and failures. */
    record Row(JsonNode value, byte[] bytes, byte[] original, List<Enricher.FunctionFailure> failures) {
    }

    private final DeadLetterCounts deadLetters = new DeadLetterCounts();
    private final Map<String, ?> functionConfig;
    private final java.util.function.Function<Map<String, ?>, Enricher> enrichers;

    public EnrichmentTopology(Map<String, ?> functionConfig) {
        this(functionConfig, Enricher::new);
    }

    /** With a given Enricher factory (tests make a function fail). */
    EnrichmentTopology(Map<String, ?> functionConfig, java.util.function.Function<Map<String, ?>, Enricher> enrichers) {
        this.functionConfig = functionConfig;
        this.enrichers = enrichers;
    }

    /** Records sent to {@link Topics#DLQ}, per stage (EventHeaders.STAGE_ENRICHMENT_*). */
    public DeadLetterCounts deadLetters() {
        return deadLetters;
    }

    public Topology build() {
        Serde<String> keys = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        StreamsBuilder builder = new StreamsBuilder();

        // V000001: CREATE STREAM cart_events_validated (...) over cart-events-validated
        KStream<String, Readout> read = builder
                .stream(Topics.VALIDATED, Consumed.with(keys, bytes).withName("cart_events_validated"))
                .mapValues(EnrichmentTopology::read, Named.as("read-columns"));
        // ksqlDB skips a record its JSON format cannot read (processing log); the twin dead-letters it
        read.filter((k, r) -> r.deadLetter() != null, Named.as("unreadable"))
                .mapValues(Readout::deadLetter, Named.as("unreadable-letter"))
                .processValues(() -> new DeadLetterProcessor(deadLetters), Named.as("unreadable-headers"))
                .to(Topics.DLQ, Produced.with(keys, bytes).withName("dead-letters-unreadable"));
        KStream<String, Source> sources = read.filter((k, r) -> r.source() != null, Named.as("readable"))
                .mapValues(Readout::source, Named.as("source"));

        // V000003 (reads the source columns only, so it runs before enrichment mutates the row)
        sources.filter((k, source) -> !source.row().path("userId").isNull(), Named.as("user_profile_last_seen-where"))
                .map((k, source) -> {
                    ObjectNode row = source.row();
                    ObjectNode value = F.objectNode();
                    value.set("lastSeen", row.get("occurredAt"));
                    return org.apache.kafka.streams.KeyValue.pair(row.get("userId").asText(), JsonBytes.write(value));
                }, Named.as("user_profile_last_seen-select"))
                .to(Topics.USER_PROFILE_LAST_SEEN, Produced.with(keys, bytes).withName("user_profile_last_seen"));

        // V000001: CREATE STREAM cart_events_enriched AS SELECT ..., STRUCT(...) AS `enrichment`
        KStream<String, Row> enriched = sources.processValues(() -> new EnrichProcessor(enrichers.apply(functionConfig)),
                Named.as("cart_events_enriched-select"));
        enriched.mapValues(Row::bytes, Named.as("cart_events_enriched-bytes"))
                .to(Topics.ENRICHED, Produced.with(keys, bytes).withName("cart_events_enriched"));
        // a function that threw: the record above has null for its field (as ksqlDB writes); the DLQ says why
        enriched.filter((k, row) -> !row.failures().isEmpty(), Named.as("function-failed"))
                .mapValues(EnrichmentTopology::functionFailure, Named.as("function-failed-letter"))
                .processValues(() -> new DeadLetterProcessor(deadLetters), Named.as("function-failed-headers"))
                .to(Topics.DLQ, Produced.with(keys, bytes).withName("dead-letters-function-failed"));

        // V000002: one filtered stream per route
        for (QueryCatalog.Route route : QueryCatalog.ROUTES) {
            enriched.filter((k, row) -> route.predicate().test(row.value()), Named.as(route.name() + "-where"))
                    .mapValues(Row::bytes, Named.as(route.name() + "-bytes"))
                    .to(route.topic(), Produced.with(keys, bytes).withName(route.name()));
        }

        // V000004: cart_route_by_store, PARTITION BY `storeId`; the select list (AS_VALUE) keeps the value as enriched
        enriched.filter((k, row) -> QueryCatalog.hasStore(row.value()), Named.as(QueryCatalog.BY_STORE + "-where"))
                .map((k, row) -> org.apache.kafka.streams.KeyValue.pair(row.value().get("storeId").asText(), row.bytes()),
                        Named.as(QueryCatalog.BY_STORE + "-partition-by"))
                .to(Topics.ROUTE_BY_STORE, Produced.with(keys, bytes).withName(QueryCatalog.BY_STORE));

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

    static Readout read(byte[] value) {
        try {
            return new Readout(new Source(SourceSchema.read(value), value), null);
        } catch (UnreadableRecordException e) {
            log.warn("dead-lettered a record of {} that ksqlDB's JSON format cannot read: {}", Topics.VALIDATED, e.getMessage());
            return new Readout(null, new DeadLetter(value, EventHeaders.STAGE_ENRICHMENT_READ,
                    "cannot read the record into the columns of " + QueryCatalog.VALIDATED_STREAM + ": " + e.getMessage(),
                    SourceSchema.class, e));
        }
    }

    static DeadLetter functionFailure(Row row) {
        StringBuilder reason = new StringBuilder();
        for (Enricher.FunctionFailure f : row.failures()) {
            reason.append(reason.length() == 0 ? "" : "; ").append(f.function()).append(" failed (field written as null): ")
                    .append(f.error());
        }
        Enricher.FunctionFailure first = row.failures().get(0);
        return new DeadLetter(row.original(), EventHeaders.STAGE_ENRICHMENT_FUNCTION, reason.toString(), first.udfClass(),
                first.error());
    }

    private static ObjectNode purchases(long count, String lastPurchaseAt) {
        ObjectNode value = F.objectNode();
        value.put("purchaseCount", count);
        value.put("lastPurchaseAt", lastPurchaseAt);
        return value;
    }
}
