package dev.eventpipeline.ksql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the statements of a ksql-migrations directory into {@link QueryDef}s (the subset of ksql
 * our migrations use: CREATE [OR REPLACE] STREAM/TABLE, as a source over a topic or AS SELECT with
 * WHERE / PARTITION BY / GROUP BY, and DROP). Anything else is reported as a problem, so a statement
 * the twin cannot mirror fails the check instead of being ignored.
 */
public final class Migrations {
    public static final Pattern FILE_NAME = Pattern.compile("V(\\d{6})__\\w+\\.sql");
    private static final Pattern CREATE = Pattern.compile(
            "(?is)^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(STREAM|TABLE)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s*(.*)$");
    private static final Pattern AS_SELECT = Pattern.compile(
            "(?is)^WITH\\s*\\((.*?)\\)\\s*AS\\s+SELECT\\s+(.*?)\\s+FROM\\s+(\\w+)"
                    + "(?:\\s+WHERE\\s+(.*?))?(?:\\s+(?:PARTITION|GROUP)\\s+BY\\s+(.*?))?\\s+EMIT\\s+CHANGES$");
    private static final Pattern DROP = Pattern.compile("(?is)^DROP\\s+(STREAM|TABLE)\\s+(?:IF\\s+EXISTS\\s+)?(\\w+).*$");
    private static final Pattern TOPIC = Pattern.compile("(?i)KAFKA_TOPIC\\s*=\\s*'([^']*)'");
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Set<String> KEYWORDS = Set.of("IN", "AND", "OR", "NOT", "AS", "WHEN", "THEN", "ELSE",
            "CASE", "EXISTS", "BETWEEN", "LIKE");

    /** The parsed statements and the source column list of each source stream. */
    public record Result(Map<String, QueryDef> queries, Map<String, String> sourceColumns, List<String> problems) {
    }

    private Migrations() {
    }

    public static Result read(Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, QueryDef> queries = new LinkedHashMap<>();
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int expected = 1;
        for (Path file : files) {
            Matcher name = FILE_NAME.matcher(file.getFileName().toString());
            if (!name.matches()) {
                problems.add(file.getFileName() + ": not a ksql-migrations file name (V000001__Name.sql)");
                continue;
            }
            if (Integer.parseInt(name.group(1)) != expected) {
                problems.add(file.getFileName() + ": version " + name.group(1) + " out of sequence, expected " + expected);
            }
            expected = Integer.parseInt(name.group(1)) + 1;
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String statement : statements(stripComments(text))) {
                parse(file.getFileName().toString(), statement, queries, columns, problems);
            }
        }
        return new Result(queries, columns, problems);
    }

    private static void parse(String file, String statement, Map<String, QueryDef> queries,
                              Map<String, String> columns, List<String> problems) {
        Matcher drop = DROP.matcher(statement);
        if (drop.matches()) {
            queries.remove(drop.group(2).toLowerCase(java.util.Locale.ROOT));
            return;
        }
        Matcher create = CREATE.matcher(statement);
        if (!create.matches()) {
            problems.add(file + ": statement the embedded twin cannot mirror: " + abbreviate(statement));
            return;
        }
        String kind = create.group(1).toUpperCase(java.util.Locale.ROOT);
        String name = create.group(2).toLowerCase(java.util.Locale.ROOT);
        String rest = create.group(3).trim();
        if (rest.startsWith("(")) {
            int close = matchingParen(rest);
            String cols = rest.substring(1, close);
            String with = rest.substring(close + 1);
            queries.put(name, new QueryDef(name, kind, topic(with), null, null, null, null, List.of()));
            columns.put(name, normalize(cols));
            return;
        }
        Matcher select = AS_SELECT.matcher(rest);
        if (!select.matches()) {
            problems.add(file + ": " + name + ": only CREATE ... WITH (...) AS SELECT ... FROM ... [WHERE] "
                    + "[PARTITION BY|GROUP BY] EMIT CHANGES is mirrored: " + abbreviate(statement));
            return;
        }
        String selectList = select.group(2);
        String where = select.group(4);
        String keyBy = select.group(5);
        Set<String> functions = new TreeSet<>();
        for (String part : new String[] {selectList, where, keyBy}) {
            if (part != null) {
                Matcher call = CALL.matcher(part.replaceAll("'[^']*'", "''"));
                while (call.find()) {
                    String fn = call.group(1).toUpperCase(java.util.Locale.ROOT);
                    if (!KEYWORDS.contains(fn)) {
                        functions.add(fn);
                    }
                }
            }
        }
        queries.put(name, new QueryDef(name, kind, topic(select.group(1)), select.group(3).toLowerCase(java.util.Locale.ROOT),
                normalize(selectList), where == null ? null : normalize(where), keyBy == null ? null : normalize(keyBy),
                List.copyOf(functions)));
    }

    /** Whitespace-insensitive form used for every comparison. */
    public static String normalize(String text) {
        if (text == null) {
            return null;
        }
        return text.replaceAll("\\s+", " ")
                .replaceAll("([(<])\\s+", "$1")
                .replaceAll("\\s+([)>])", "$1")
                .replaceAll("\\s+,", ",")
                .trim();
    }

    private static String topic(String with) {
        Matcher m = TOPIC.matcher(with);
        return m.find() ? m.group(1) : null;
    }

    private static int matchingParen(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return text.length() - 1;
    }

    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        boolean quote = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quote = !quote;
            }
            if (!quote && c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quote = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                quote = !quote;
            }
            if (c == ';' && !quote) {
                if (!current.toString().isBlank()) {
                    out.add(current.toString().trim());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }

    private static String abbreviate(String s) {
        String n = normalize(s);
        return n.length() > 120 ? n.substring(0, 120) + "..." : n;
    }
}
