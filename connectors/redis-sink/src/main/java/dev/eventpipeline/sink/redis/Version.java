package dev.eventpipeline.sink.redis;

import dev.eventpipeline.contract.PluginVersion;

/** This plugin's version (see {@link PluginVersion}). */
final class Version {
    private static final String VERSION = PluginVersion.of(Version.class);

    private Version() {
    }

    static String get() {
        return VERSION;
    }
}
