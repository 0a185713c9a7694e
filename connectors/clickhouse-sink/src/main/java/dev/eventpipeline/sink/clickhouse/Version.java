package dev.eventpipeline.sink.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector's version, from a resource filtered by Maven at build time. */
public final class Version {
    static final String RESOURCE = "version.properties";
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            String version = props.getProperty("version", "").trim();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
