package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * V000001 source + enriched stream, V000002 routes, V000003 profile updates, V000004 per-store route,
 * V000005 purchase history. Keys and values are
 * strings/JSON bytes in and out; output records keep the input timestamp (ROWTIME). Nothing is
 * dropped silently: a record that cannot be read into the source columns, or for which a function
 * fails, goes to {@link Topics#DLQ} with the pipeline's error headers ({@link DeadLetterWriter}); every query's per-record work runs in one node, {@link EnrichProcessor}.
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

        // every query's per-record work in one node (EnrichProcessor), its outputs written by one sink to their topics
        KStream<String, EnrichProcessor.Out> outputs = builder
                .stream(Topics.VALIDATED, Consumed.with(keys, bytes).withName("cart_events_validated"))
                .process(() -> new EnrichProcessor(enrichers.apply(functionConfig), deadLetters), Named.as("cart_events_enriched"));
        outputs.to((k, out, context) -> out.topic(), Produced.with(keys, EnrichProcessor.Out.SERDE).withName(EnrichProcessor.TO_TOPICS));

        // V000003: CREATE TABLE user_profile_purchases AS SELECT `userId`, COUNT(*), LATEST_BY_OFFSET(`occurredAt`) ... GROUP BY `userId`
        // (EnrichProcessor applies the WHERE and the GROUP BY key, and forwards only these records here)
        outputs.mapValues(EnrichProcessor.Out::occurredAt, Named.as(EnrichProcessor.TO_PURCHASES))
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

        // V000005: CREATE TABLE user_profile_purchase_history AS SELECT `userId`, COLLECT_LIST(STRUCT(...)) ... GROUP BY `userId`
        // (EnrichProcessor applies the WHERE and the GROUP BY key and builds the list entry)
        outputs.mapValues(EnrichProcessor.Out::bytes, Named.as(EnrichProcessor.TO_PURCHASE_HISTORY))
                .groupByKey(Grouped.with("user_profile_purchase_history-by-user", keys, bytes))
                .aggregate(() -> JsonBytes.write(purchaseHistory()),
                        (userId, entry, agg) -> {
                            ObjectNode current = (ObjectNode) JsonBytes.read(agg);
                            ArrayNode list = (ArrayNode) current.get("purchaseHistory");
                            if (list.size() < QueryCatalog.COLLECT_LIST_LIMIT) {
                                list.add(JsonBytes.read(entry));
                            }
                            return JsonBytes.write(current);
                        },
                        Named.as("user_profile_purchase_history-aggregate"),
                        Materialized.<String, byte[], org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                                "user_profile_purchase_history-store").withKeySerde(keys).withValueSerde(bytes))
                .toStream(Named.as("user_profile_purchase_history-changes"))
                .to(Topics.USER_PROFILE_PURCHASE_HISTORY, Produced.with(keys, bytes).withName("user_profile_purchase_history"));

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

    private static ObjectNode purchaseHistory() {
        ObjectNode value = F.objectNode();
        value.putArray("purchaseHistory");
        return value;
    }

    private static ObjectNode purchases(long count, String lastPurchaseAt) {
        ObjectNode value = F.objectNode();
        value.put("purchaseCount", count);
        value.put("lastPurchaseAt", lastPurchaseAt);
        return value;
    }
}
