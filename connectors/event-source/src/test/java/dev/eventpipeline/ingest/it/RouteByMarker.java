package dev.eventpipeline.ingest.it;

import dev.eventpipeline.contract.Topics;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

import java.util.Map;

/**
 * Test-only stand-in for the validation and de-duplication transforms (built on another branch):
 * an event whose JSON contains {@code "marker":"dlq"} is routed to the DLQ topic, one with
 * {@code "marker":"drop"} is filtered. Installed into the worker's plugin.path as its own jar.
 */
public class RouteByMarker implements Transformation<SourceRecord> {
    @Override
    public SourceRecord apply(SourceRecord record) {
        String value = String.valueOf(record.value());
        if (value.contains("\"marker\":\"drop\"")) {
            return null;
        }
        if (value.contains("\"marker\":\"dlq\"")) {
            return record.newRecord(Topics.DLQ, null, record.keySchema(), record.key(), record.valueSchema(),
                    record.value(), record.timestamp(), record.headers());
        }
        return record;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
