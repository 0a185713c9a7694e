package dev.eventpipeline.contract;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version a plugin reports to Connect ({@code Connector.version()}, {@code Transformation}
 * and UDF metadata): {@code version=${project.version}} in a {@code version.properties} resource
 * that Maven filters, next to the given class. "unknown" when the resource is missing or unfiltered.
 */
public final class PluginVersion {
    public static final String RESOURCE = "version.properties";
    public static final String UNKNOWN = "unknown";

    private PluginVersion() {
    }

    public static String of(Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties props = new Properties();
            props.load(in);
            String version = props.getProperty("version", "").trim();
            return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
