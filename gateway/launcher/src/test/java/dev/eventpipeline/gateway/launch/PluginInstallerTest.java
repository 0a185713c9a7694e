package dev.eventpipeline.gateway.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginInstallerTest {
    static void zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    @Test
    void unzipsEachArchiveAndFindsItsConnectorConfigs(@TempDir Path dir) throws Exception {
        Path archives = Files.createDirectories(dir.resolve("archives"));
        zip(archives.resolve("a-plugin.zip"), Map.of("a-1.0/manifest.json", "{}", "a-1.0/lib/a.jar", "jar",
                "a-1.0/etc/a.json", "{\"name\":\"a\"}", "a-1.0/etc/notes.txt", "x"));
        zip(archives.resolve("b-plugin.zip"), Map.of("b-1.0/manifest.json", "{}", "b-1.0/lib/b.jar", "jar"));
        Path pluginPath = dir.resolve("plugins");
        Files.createDirectories(pluginPath.resolve("stale-plugin"));

        List<Path> components = PluginInstaller.install(archives, pluginPath);

        assertThat(components).containsExactly(pluginPath.resolve("a-1.0"), pluginPath.resolve("b-1.0"));
        assertThat(pluginPath.resolve("a-1.0/lib/a.jar")).exists();
        assertThat(pluginPath.resolve("stale-plugin")).doesNotExist();
        assertThat(PluginInstaller.connectorConfigs(components)).containsExactly(pluginPath.resolve("a-1.0/etc/a.json"));
    }

    @Test
    void refusesEntriesThatEscapeThePluginPath(@TempDir Path dir) throws Exception {
        Path archives = Files.createDirectories(dir.resolve("archives"));
        zip(archives.resolve("evil.zip"), Map.of("../outside.txt", "x"));
        assertThatThrownBy(() -> PluginInstaller.install(archives, dir.resolve("plugins")))
                .hasMessageContaining("escapes the plugin dir");
    }

    @Test
    void missingArchivesSayHowToBuildThem(@TempDir Path dir) {
        assertThatThrownBy(() -> PluginInstaller.install(dir.resolve("nope"), dir.resolve("plugins")))
                .hasMessageContaining("mvn -DskipTests install");
    }
}
