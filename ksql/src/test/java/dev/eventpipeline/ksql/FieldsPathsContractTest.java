package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.sink.clickhouse.config.ClickHouseSinkConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ClickHouse sink's default {@code fields.paths} (events_processed's enrichment columns) must
 * name what the twin actually writes: every default path exists in an enriched record, and every
 * enrichment field is either mapped to a column or deliberately left to {@code extra}.
 */
class FieldsPathsContractTest {
    /** Enrichment fields without an events_processed column: they land in the extra JSON column. */
    static final Set<String> NOT_MAPPED = Set.of("enrichment.user.lastPurchaseAt", "enrichment.store.businessHours",
            "enrichment.store.settings");

    static Map<String, String> defaultPaths() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : ClickHouseSinkConfig.FIELDS_PATHS_DEFAULT.split(",")) {
            String[] kv = pair.split(":");
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    /** A fully enriched record (every enrichment field non-null) as the twin wrote it in a fixture. */
    static JsonNode fullyEnriched() throws Exception {
        for (JsonNode out : FixtureRunner.run(FixtureRunner.FIXTURES.resolve("checkout-journey"))) {
            if (out.get("topic").asText().equals(Topics.ENRICHED) && out.at("/value/enrichment/session/msSincePrevious").isNumber()) {
                return out.get("value");
            }
        }
        throw new AssertionError("checkout-journey has no fully enriched record");
    }

    @Test
    void everyDefaultPathIsWrittenByTheTwin() throws Exception {
        JsonNode record = fullyEnriched();
        List<String> missing = new ArrayList<>();
        defaultPaths().keySet().forEach(path -> {
            JsonNode v = record.at("/" + path.replace('.', '/'));
            if (v.isMissingNode() || v.isNull()) {
                missing.add(path);
            }
        });
        assertThat(missing).as("fields.paths defaults the enriched record does not have").isEmpty();
    }

    @Test
    void everyEnrichmentFieldHasAColumnOrIsKnownToGoToExtra() throws Exception {
        Set<String> leaves = new TreeSet<>();
        fullyEnriched().get("enrichment").properties().forEach(group -> group.getValue().properties()
                .forEach(f -> leaves.add("enrichment." + group.getKey() + "." + f.getKey())));
        leaves.removeAll(defaultPaths().keySet());
        assertThat(leaves).as("enrichment fields neither in fields.paths nor in NOT_MAPPED").isEqualTo(NOT_MAPPED);
    }
}
