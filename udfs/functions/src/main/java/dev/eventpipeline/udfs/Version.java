package dev.eventpipeline.udfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The pipeline version written into every enriched record ({@code enrichment.meta.pipelineVersion}). */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("pipeline.version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
