package dev.eventpipeline.ksql;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The select list of {@code cart_events_enriched}, one instance per stream task (Kafka Streams asks
 * the supplier once per task), each with its own {@link Enricher}: session and cart state are per
 * session, and a session's records are all in one partition, so a task's functions see all of
 * them; no lock is shared between stream threads.
 */
final class EnrichProcessor implements FixedKeyProcessor<String, EnrichmentTopology.Source, EnrichmentTopology.Row> {
    private final Enricher enricher;
    private FixedKeyProcessorContext<String, EnrichmentTopology.Row> context;

    EnrichProcessor(Enricher enricher) {
        this.enricher = enricher;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EnrichmentTopology.Row> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, EnrichmentTopology.Source> record) {
        EnrichmentTopology.Source source = record.value();
        // mutates the row: declared after V000003's last-seen query, which Kafka Streams runs first
        Enricher.Enriched e = enricher.enrich(source.row());
        context.forward(record.withValue(new EnrichmentTopology.Row(e.row(), JsonBytes.write(e.row()), source.original(),
                e.failures())));
    }
}
