package dev.eventpipeline.sink.clickhouse.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parsed {@code topics.tables} list: which ClickHouse table each Kafka topic is written to.
 * Entries are {@code topic:table}; the topic follows Kafka's topic name rules, the table is a plain
 * ClickHouse identifier (letters, digits, underscore; not starting with a digit).
 */
public final class TopicTableMapping {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final Map<String, String> tableByTopic;

    private TopicTableMapping(Map<String, String> tableByTopic) {
        this.tableByTopic = Collections.unmodifiableMap(tableByTopic);
    }

    /**
     * Parses the entries.
     *
     * @throws IllegalArgumentException naming the first malformed entry and what is wrong with it
     */
    public static TopicTableMapping parse(List<String> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("needs at least one topic:table entry");
        }
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.trim();
            int colon = entry.indexOf(':');
            if (colon < 0 || colon != entry.lastIndexOf(':')) {
                throw new IllegalArgumentException("entry '" + entry + "' must have the form topic:table "
                        + "(exactly one ':'), e.g. cart-events-raw:events_raw");
            }
            String topic = entry.substring(0, colon).trim();
            String table = entry.substring(colon + 1).trim();
            if (!TOPIC.matcher(topic).matches()) {
                throw new IllegalArgumentException("entry '" + entry + "': '" + topic + "' is not a valid Kafka topic "
                        + "name (1-249 characters of a-z, A-Z, 0-9, '.', '_', '-')");
            }
            if (!Identifiers.isValid(table)) {
                throw new IllegalArgumentException("entry '" + entry + "': '" + table + "' is not a valid table name "
                        + "(" + Identifiers.RULE + ")");
            }
            String previous = map.putIfAbsent(topic, table);
            if (previous != null) {
                throw new IllegalArgumentException("topic '" + topic + "' is mapped twice (to '" + previous
                        + "' and to '" + table + "'); a topic goes to one table");
            }
        }
        return new TopicTableMapping(map);
    }

    public Optional<String> tableFor(String topic) {
        return Optional.ofNullable(tableByTopic.get(topic));
    }

    public Map<String, String> asMap() {
        return tableByTopic;
    }

    @Override
    public String toString() {
        return tableByTopic.toString();
    }
}
