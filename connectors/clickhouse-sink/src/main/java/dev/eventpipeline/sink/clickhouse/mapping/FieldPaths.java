package dev.eventpipeline.sink.clickhouse.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed {@code fields.paths} list: which nested JSON field fills which column, as
 * {@code dotted.path:column} entries (e.g. {@code enrichment.user.lastSeen:user_last_seen}). A
 * column gets the path's value only in tables that have that column.
 */
public final class FieldPaths {
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Map<String, List<String>> pathByColumn;

    private FieldPaths(Map<String, List<String>> pathByColumn) {
        this.pathByColumn = Collections.unmodifiableMap(pathByColumn);
    }

    public static FieldPaths none() {
        return new FieldPaths(Map.of());
    }

    /** @throws IllegalArgumentException naming the malformed entry */
    public static FieldPaths parse(List<String> entries) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 0 || colon != entry.lastIndexOf(':')) {
                throw new IllegalArgumentException("entry '" + entry + "' must have the form json.path:column, "
                        + "e.g. enrichment.user.lastSeen:user_last_seen");
            }
            String path = entry.substring(0, colon).trim();
            String column = entry.substring(colon + 1).trim();
            if (!PATH.matcher(path).matches()) {
                throw new IllegalArgumentException("entry '" + entry + "': '" + path + "' is not a dotted field path");
            }
            if (!COLUMN.matcher(column).matches()) {
                throw new IllegalArgumentException("entry '" + entry + "': '" + column + "' is not a plain column name");
            }
            if (map.put(column, List.of(path.split("\\."))) != null) {
                throw new IllegalArgumentException("column '" + column + "' has two paths");
            }
        }
        return new FieldPaths(map);
    }

    /** Path segments for the column, or null. */
    public List<String> pathFor(String column) {
        return pathByColumn.get(column);
    }

    public Map<String, List<String>> asMap() {
        return pathByColumn;
    }

    @Override
    public String toString() {
        return pathByColumn.toString();
    }
}
