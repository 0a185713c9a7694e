package dev.eventpipeline.sink.clickhouse.config;

import java.util.regex.Pattern;

/**
 * ClickHouse database and table names accepted in the configuration. Restricting them to plain
 * identifiers keeps them safe to splice into SQL (they are also back-quoted there).
 */
public final class Identifiers {
    static final String RULE = "letters, digits and '_', not starting with a digit, at most 64 characters";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private Identifiers() {
    }

    public static boolean isValid(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }

    /** {@code `db`.`table`}: back-quoted, valid on ClickHouse 18.16 and current releases. */
    public static String qualified(String database, String table) {
        return quote(database) + "." + quote(table);
    }

    public static String quote(String identifier) {
        if (!isValid(identifier)) {
            throw new IllegalArgumentException("not a plain identifier: " + identifier);
        }
        return "`" + identifier + "`";
    }
}
