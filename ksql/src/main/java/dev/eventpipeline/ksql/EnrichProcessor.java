package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventType;
import dev.eventpipeline.contract.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The per-record work of every query of the migrations in one processor, one instance per stream
 * task (Kafka Streams asks the supplier once per task), each with its own {@link Enricher}: session
 * and cart state are per session, and a session's records are all in one partition, so a task's
 * functions see all of them; no lock is shared between stream threads.
 *
 * <p>For each record of {@code cart-events-validated}, in this order (the order the per-query
 * topology of before emitted them): read into the source columns, else a dead letter (V000001);
 * {@code user_profile_last_seen} (V000003, from the source columns); {@code cart_events_enriched}
 * (V000001), serialised once; a dead letter when a function failed; the routes of V000002 and
 * V000004, each the same enriched bytes; and the inputs of the {@code user_profile_purchases}
 * (V000003) and {@code user_profile_purchase_history} (V000005) aggregations, which
 * {@link EnrichmentTopology} repartitions by user.
 *
 * <p>One node instead of a chain of filter/map nodes per query: the enriched row is parsed once,
 * serialised once, and the per-node cost of Kafka Streams (forwarding, record copies, metrics) is
 * paid once per record instead of about fifteen times. Each output goes straight to the child that
 * handles it ({@link #TO_TOPICS} or {@link #TO_PURCHASES}), not through a filter per child.
 */
final class EnrichProcessor implements Processor<String, byte[], String, EnrichProcessor.Out> {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * An output of a record: its topic and value bytes (the key is the forwarded record's), or, with
     * {@code topic} null, the input of the purchases aggregation ({@code occurredAt}, "" for null) or
     * of the purchase history aggregation ({@code bytes}: the order entry).
     */
    record Out(String topic, byte[] bytes, String occurredAt) {
        static Out to(String topic, byte[] bytes) {
            return new Out(topic, bytes, null);
        }

        static Out purchase(String occurredAt) {
            return new Out(null, null, occurredAt);
        }

        static Out order(byte[] entry) {
            return new Out(null, entry, null);
        }

        /** Writes the value bytes as they are (the records are serialised in the processor). */
        static final Serde<Out> SERDE = Serdes.serdeFrom((Serializer<Out>) (topic, out) -> out == null ? null : out.bytes(),
                (Deserializer<Out>) (topic, bytes) -> bytes == null ? null : to(topic, bytes));
    }

    /** The child that writes every output but the purchases' to its topic ({@link EnrichmentTopology}). */
    static final String TO_TOPICS = "outputs-to-topics";
    /** The child that feeds the purchases aggregation (repartitioned by user). */
    static final String TO_PURCHASES = "user_profile_purchases-groupby";
    /** The child that feeds the purchase history aggregation (repartitioned by user). */
    static final String TO_PURCHASE_HISTORY = "user_profile_purchase_history-groupby";

    /** The fields of a purchase history entry (V000005's STRUCT), from the order's payload. */
    private static final java.util.List<String> ORDER_ENTRY_FIELDS = java.util.List.of("orderId", "total", "currency");

    private final Enricher enricher;
    private final DeadLetterWriter deadLetters;
    private ProcessorContext<String, Out> context;

    EnrichProcessor(Enricher enricher, DeadLetterCounts counts) {
        this.enricher = enricher;
        this.deadLetters = new DeadLetterWriter(counts);
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // V000001: CREATE STREAM cart_events_validated (...); ksqlDB skips what its JSON format cannot read, the twin dead-letters it
        EnrichmentTopology.Readout read = EnrichmentTopology.read(record.value());
        if (read.deadLetter() != null) {
            deadLetter(record, read.deadLetter());
            return;
        }
        ObjectNode row = read.source().row();

        // V000003: user_profile_last_seen (reads the source columns only, so it runs before enrichment mutates the row)
        if (!row.path("userId").isNull()) {
            ObjectNode value = F.objectNode();
            value.set("lastSeen", row.get("occurredAt"));
            context.forward(record.withKey(row.get("userId").asText()).withValue(
                    Out.to(Topics.USER_PROFILE_LAST_SEEN, JsonBytes.write(value))), TO_TOPICS);
        }

        // V000001: CREATE STREAM cart_events_enriched AS SELECT ..., STRUCT(...) AS `enrichment`, serialised once
        Enricher.Enriched e = enricher.enrich(row);
        EnrichmentTopology.Row enriched = new EnrichmentTopology.Row(e.row(), JsonBytes.write(e.row()), record.value(), e.failures());
        JsonNode value = enriched.value();
        byte[] bytes = enriched.bytes();
        context.forward(record.withValue(Out.to(Topics.ENRICHED, bytes)), TO_TOPICS);
        // a function that threw: the record above has null for its field (as ksqlDB writes); the DLQ says why
        if (!enriched.failures().isEmpty()) {
            deadLetter(record, EnrichmentTopology.functionFailure(enriched));
        }

        // V000002: the routes, each the enriched record unchanged
        for (QueryCatalog.Route route : QueryCatalog.ROUTES) {
            if (route.predicate().test(value)) {
                context.forward(record.withValue(Out.to(route.topic(), bytes)), TO_TOPICS);
            }
        }

        // V000004: cart_route_by_store, PARTITION BY `storeId`; the select list (AS_VALUE) keeps the value as enriched
        if (QueryCatalog.hasStore(value)) {
            context.forward(record.withKey(value.get("storeId").asText()).withValue(Out.to(Topics.ROUTE_BY_STORE, bytes)), TO_TOPICS);
        }

        // V000003: user_profile_purchases' WHERE and GROUP BY key; occurredAt "" for null (Kafka Streams drops null values before aggregating)
        if (EventType.ORDER_COMPLETED.wireName().equals(value.path("type").asText(null)) && !value.path("userId").isNull()) {
            JsonNode occurredAt = value.get("occurredAt");
            String userId = value.get("userId").asText();
            context.forward(record.withKey(userId)
                    .withValue(Out.purchase(occurredAt.isNull() ? "" : occurredAt.asText())), TO_PURCHASES);
            // V000005: user_profile_purchase_history, same WHERE and key: the list entry STRUCT(orderId, total, currency)
            JsonNode payload = value.path("payload");
            ObjectNode entry = F.objectNode();
            for (String field : ORDER_ENTRY_FIELDS) {
                JsonNode v = payload.path(field);
                entry.set(field, v.isMissingNode() ? F.nullNode() : v);
            }
            context.forward(record.withKey(userId).withValue(Out.order(JsonBytes.write(entry))), TO_PURCHASE_HISTORY);
        }
    }

    private void deadLetter(Record<String, byte[]> record, DeadLetter letter) {
        context.forward(record.withValue(Out.to(Topics.DLQ, letter.original()))
                .withHeaders(deadLetters.headers(context, record.headers(), letter)), TO_TOPICS);
    }
}
