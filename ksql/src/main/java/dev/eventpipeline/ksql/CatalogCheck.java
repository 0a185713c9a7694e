package dev.eventpipeline.ksql;

import dev.eventpipeline.contract.Topics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * "One system, not two": the differences between {@code ksql/migrations} and the embedded twin
 * ({@link QueryCatalog}, {@link SourceSchema}, {@link Topics}). Empty means they declare the same
 * queries, topics, routes, columns, select lists, conditions and functions. Run by
 * QueryCatalogCheckTest on every build; {@code main} prints the differences.
 */
public final class CatalogCheck {
    private CatalogCheck() {
    }

    public static List<String> differences(Path migrationsDir) {
        Migrations.Result sql = Migrations.read(migrationsDir);
        List<String> out = new ArrayList<>(sql.problems());
        Map<String, QueryDef> twin = new LinkedHashMap<>();
        QueryCatalog.queries().forEach(q -> twin.put(q.name(), q));

        for (String name : sql.queries().keySet()) {
            if (!twin.containsKey(name)) {
                out.add("query " + name + " is in the migrations but not in the embedded twin (QueryCatalog)");
            }
        }
        for (String name : twin.keySet()) {
            if (!sql.queries().containsKey(name)) {
                out.add("query " + name + " is in the embedded twin (QueryCatalog) but not in the migrations");
            }
        }
        for (QueryDef s : sql.queries().values()) {
            QueryDef t = twin.get(s.name());
            if (t == null) {
                continue;
            }
            compare(out, s.name(), "kind", s.kind(), t.kind());
            compare(out, s.name(), "KAFKA_TOPIC", s.topic(), t.topic());
            compare(out, s.name(), "FROM", s.source(), t.source());
            compare(out, s.name(), "SELECT", s.select(), Migrations.normalize(t.select()));
            compare(out, s.name(), "WHERE", s.where(), Migrations.normalize(t.where()));
            compare(out, s.name(), "PARTITION/GROUP BY", s.keyBy(), Migrations.normalize(t.keyBy()));
            compare(out, s.name(), "functions", s.functions(), t.functions());
            for (String fn : s.functions()) {
                if (!QueryCatalog.UDFS.contains(fn) && !QueryCatalog.BUILT_INS.contains(fn)) {
                    out.add(s.name() + ": function " + fn + " is neither one of our UDFs nor a built-in the twin implements");
                }
            }
        }
        String columns = sql.sourceColumns().get(QueryCatalog.VALIDATED_STREAM);
        compare(out, QueryCatalog.VALIDATED_STREAM, "columns", columns, Migrations.normalize(SourceSchema.columnsSql()));

        Set<String> sqlTopics = new LinkedHashSet<>();
        sql.queries().values().forEach(q -> sqlTopics.add(q.topic()));
        Set<String> contractTopics = new LinkedHashSet<>(List.of(Topics.VALIDATED, Topics.ENRICHED));
        contractTopics.addAll(Topics.ENRICHMENT_OUTPUTS);
        if (!sqlTopics.equals(contractTopics)) {
            out.add("topics of the migrations " + sqlTopics + " differ from contract/Topics " + contractTopics);
        }
        Set<String> used = new LinkedHashSet<>();
        sql.queries().values().forEach(q -> used.addAll(q.functions()));
        for (String udf : QueryCatalog.UDFS) {
            if (!used.contains(udf)) {
                out.add("UDF " + udf + " is run by the twin but called by no migration");
            }
        }
        return out;
    }

    private static void compare(List<String> out, String query, String part, Object sql, Object twin) {
        if (!Objects.equals(sql, twin)) {
            out.add(query + ": " + part + " differs\n    migrations: " + sql + "\n    twin:       " + twin);
        }
    }

    public static void main(String[] args) {
        List<String> diffs = differences(Path.of(args.length > 0 ? args[0] : "ksql/migrations"));
        diffs.forEach(System.out::println);
        System.exit(diffs.isEmpty() ? 0 : 1);
    }
}
