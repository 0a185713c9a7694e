package dev.eventpipeline.sink.redis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

final class Version {
    private Version() {
    }

    static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
