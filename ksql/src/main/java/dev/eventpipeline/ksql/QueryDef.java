package dev.eventpipeline.ksql;

import java.util.List;

/**
 * One ksql statement as the embedded twin implements it. QueryCatalogCheckTest parses
 * {@code ksql/migrations/*.sql} and fails the build unless the statements there and these
 * definitions agree on every part below (whitespace-normalised text).
 *
 * @param name       the stream/table name
 * @param kind       STREAM or TABLE
 * @param topic      KAFKA_TOPIC
 * @param source     FROM (null for a source stream declared over an existing topic)
 * @param select     the select list (null for a source stream)
 * @param where      the WHERE condition, or null
 * @param keyBy      the PARTITION BY / GROUP BY expression, or null
 * @param functions  every function called, upper case, sorted (ours and ksqlDB built-ins)
 */
public record QueryDef(String name, String kind, String topic, String source, String select, String where,
                       String keyBy, List<String> functions) {
    public QueryDef {
        functions = functions.stream().sorted().toList();
    }
}
