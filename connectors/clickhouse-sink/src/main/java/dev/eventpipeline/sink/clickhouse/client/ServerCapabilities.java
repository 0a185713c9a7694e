package dev.eventpipeline.sink.clickhouse.client;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What differs between ClickHouse 18.16 and current releases for our INSERTs, found by asking the
 * server ({@code system.settings}) rather than by parsing version numbers.
 *
 * <p>Columns missing from a JSONEachRow row must get their {@code DEFAULT} expression (e.g.
 * {@code inserted_at DEFAULT now()}). Current releases do this by default
 * ({@code input_format_defaults_for_omitted_fields=1}); 18.16 only with
 * {@code insert_sample_with_metadata=1}, otherwise it stores the type's zero value
 * ({@code 0000-00-00 00:00:00}). Sending a setting a server does not know fails the query, so only
 * the one the server has is sent.
 */
public final class ServerCapabilities {
    static final String DEFAULTS_FOR_OMITTED = "input_format_defaults_for_omitted_fields";
    static final String DEFAULTS_FOR_OMITTED_18 = "insert_sample_with_metadata";
    static final String SKIP_UNKNOWN_FIELDS = "input_format_skip_unknown_fields";

    private final String version;
    private final Map<String, String> insertSettings;

    ServerCapabilities(String version, Set<String> knownSettings) {
        this.version = version;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SKIP_UNKNOWN_FIELDS, "1");
        if (knownSettings.contains(DEFAULTS_FOR_OMITTED)) {
            settings.put(DEFAULTS_FOR_OMITTED, "1");
        } else if (knownSettings.contains(DEFAULTS_FOR_OMITTED_18)) {
            settings.put(DEFAULTS_FOR_OMITTED_18, "1");
        }
        this.insertSettings = Map.copyOf(settings);
    }

    public static ServerCapabilities detect(ClickHouseHttpClient client) throws ClickHouseException {
        String version = client.query("SELECT version()").trim();
        String names = client.query("SELECT name FROM system.settings WHERE name IN ('"
                + DEFAULTS_FOR_OMITTED + "', '" + DEFAULTS_FOR_OMITTED_18 + "') FORMAT TabSeparated");
        Set<String> known = Arrays.stream(names.split("\n")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        return new ServerCapabilities(version, known);
    }

    public String version() {
        return version;
    }

    /** URL settings for every {@code INSERT ... FORMAT JSONEachRow}. */
    public Map<String, String> insertSettings() {
        return insertSettings;
    }

    /** Fills defaults of omitted columns: true on every release that has one of the two settings. */
    public boolean fillsDefaultsForOmittedFields() {
        return insertSettings.containsKey(DEFAULTS_FOR_OMITTED) || insertSettings.containsKey(DEFAULTS_FOR_OMITTED_18);
    }

    @Override
    public String toString() {
        return "ClickHouse " + version + " " + insertSettings;
    }
}
