package dev.eventpipeline.ingest;

import dev.eventpipeline.contract.PluginVersion;

/** This plugin's version (see {@link PluginVersion}). */
public final class Version {
    private static final String VERSION = PluginVersion.of(Version.class);

    private Version() {
    }

    public static String get() {
        return VERSION;
    }
}
