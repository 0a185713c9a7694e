package dev.eventpipeline.sink.clickhouse.schema;

import dev.eventpipeline.sink.clickhouse.mapping.ColumnType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The insertable columns of one ClickHouse table (no MATERIALIZED or ALIAS columns), in table
 * order, as read from {@code system.columns}.
 */
public record TableColumns(String table, List<Column> columns) {

    public record Column(String name, ColumnType type) {
    }

    public boolean has(String column) {
        for (Column c : columns) {
            if (c.name().equals(column)) {
                return true;
            }
        }
        return false;
    }

    public Map<String, ColumnType> byName() {
        Map<String, ColumnType> map = new LinkedHashMap<>();
        columns.forEach(c -> map.put(c.name(), c.type()));
        return map;
    }

    /** Parses {@code name \t type \t default_kind} lines (TabSeparated, no escapes in names we accept). */
    public static TableColumns parse(String table, String tabSeparated) {
        List<Column> columns = new java.util.ArrayList<>();
        for (String line : tabSeparated.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            String kind = parts.length > 2 ? parts[2].trim() : "";
            if (kind.equals("MATERIALIZED") || kind.equals("ALIAS")) {
                continue;
            }
            // TabSeparated escapes a quote in type names like DateTime(\'UTC\')
            String type = parts[1].replace("\\'", "'").replace("\\\\", "\\");
            columns.add(new Column(parts[0], ColumnType.parse(type)));
        }
        return new TableColumns(table, List.copyOf(columns));
    }
}
