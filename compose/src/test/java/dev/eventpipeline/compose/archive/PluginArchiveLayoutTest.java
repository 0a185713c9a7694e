package dev.eventpipeline.compose.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Connect plugin archive is a Confluent Hub component ({@code <owner>-<name>-<version>/} with
 * {@code manifest.json}, {@code lib/}, {@code doc/}, {@code etc/}) that a worker can load by unzipping
 * it into {@code plugin.path}: the manifest names what the jar's ServiceLoader files register, lib/
 * carries no copy of the worker's own Kafka or slf4j classes, doc/ has the generated configuration
 * reference, and every example config in etc/ names a class this archive (or, for the transforms the
 * source connector runs, the transforms archive) provides.
 */
class PluginArchiveLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Connect's ServiceLoader interfaces (plugin.discovery=service_load) per manifest component type. */
    private static final Map<String, String> SERVICE_BY_TYPE = Map.of(
            "source", "org.apache.kafka.connect.source.SourceConnector",
            "sink", "org.apache.kafka.connect.sink.SinkConnector",
            "transform", "org.apache.kafka.connect.transforms.Transformation");

    static List<PluginArchive> archives() throws IOException {
        return PluginArchive.all();
    }

    @Test
    void oneArchivePerConnectorAndOneForTheTransforms() throws IOException {
        List<String> names = new ArrayList<>();
        for (PluginArchive a : archives()) {
            names.add(a.manifest().path("name").asText());
        }
        assertThat(names).containsExactlyInAnyOrder("event-source-connector", "clickhouse-sink-connector",
                "redis-sink-connector", "event-pipeline-transforms");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void rootDirectoryIsOwnerNameVersion(PluginArchive archive) throws IOException {
        JsonNode m = archive.manifest();
        assertThat(archive.root()).as("single root directory <owner>-<name>-<version>")
                .isEqualTo(m.path("owner").path("username").asText() + "-" + m.path("name").asText() + "-"
                        + m.path("version").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void manifestHasTheHubFieldsAndTheTestedConnectVersions(PluginArchive archive) throws IOException {
        JsonNode m = archive.manifest();
        for (String field : List.of("name", "version", "title", "description")) {
            assertThat(m.path(field).asText()).as(field).isNotBlank();
        }
        assertThat(m.path("version").asText()).isEqualTo(System.getProperty("pipeline.version"));
        assertThat(m.path("version").asText()).as("filtered").doesNotContain("${");
        assertThat(m.path("owner").path("username").asText()).isEqualTo("eventpipeline");
        assertThat(m.path("owner").path("type").asText()).isIn("user", "organization");
        assertThat(m.path("owner").path("name").asText()).isNotBlank();
        assertThat(m.path("support").path("summary").asText()).isNotBlank();
        assertThat(m.path("license").isArray() && m.path("license").size() > 0).as("license").isTrue();
        assertThat(m.path("features").path("kafka_connect_api").asBoolean()).isTrue();
        assertThat(m.path("component_types").isArray() && m.path("component_types").size() > 0).isTrue();
        for (JsonNode type : m.path("component_types")) {
            assertThat(SERVICE_BY_TYPE).containsKey(type.asText());
        }
        List<String> requirements = new ArrayList<>();
        m.path("requirements").forEach(r -> requirements.add(r.asText()));
        assertThat(requirements).as("supported Connect versions = the versions ConnectCompatibilityIT runs")
                .anySatisfy(r -> assertThat(r).startsWith("Apache Kafka Connect " + System.getProperty("connect.oldest.version")
                        + " - " + System.getProperty("connect.newest.version")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void libHasThePluginJarWithServiceEntriesAndNoWorkerClasses(PluginArchive archive) throws IOException {
        JsonNode m = archive.manifest();
        String pluginJar = m.path("name").asText() + "-" + m.path("version").asText() + ".jar";
        List<String> lib = archive.files("lib");
        assertThat(lib).contains(pluginJar);
        assertThat(lib).as("the worker provides Kafka, Connect and slf4j; copies would shadow its classes")
                .noneMatch(j -> j.startsWith("kafka-") || j.startsWith("connect-") || j.startsWith("slf4j-"));
        Map<String, byte[]> jar = archive.jarEntries(pluginJar);
        for (JsonNode type : m.path("component_types")) {
            List<String> classes = serviceClasses(jar, SERVICE_BY_TYPE.get(type.asText()));
            assertThat(classes).as(type.asText() + " service file in " + pluginJar).isNotEmpty();
            for (String c : classes) {
                assertThat(jar).as(c).containsKey(c.replace('.', '/') + ".class");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void docHasTheGeneratedConfigReference(PluginArchive archive) {
        String readme = archive.text("doc/README.md");
        assertThat(readme).as("doc/README.md").isNotNull();
        int start = readme.indexOf("<!-- config-reference:start -->");
        int end = readme.indexOf("<!-- config-reference:end -->");
        assertThat(start).as("config-reference section").isNotNegative();
        assertThat(end).isGreaterThan(start);
        assertThat(readme.substring(start, end)).as("at least one documented key").contains("| key | type |").contains("| `");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void etcConfigsNameClassesTheArchivesProvide(PluginArchive archive) throws IOException {
        Set<String> provided = providedClasses();
        List<String> configs = archive.files("etc").stream().filter(f -> f.endsWith(".json")).toList();
        assertThat(configs).as("example connector configs in etc/").isNotEmpty();
        for (String file : configs) {
            JsonNode doc = JSON.readTree(archive.text("etc/" + file));
            assertThat(doc.path("name").asText()).as(file + " name").isNotBlank();
            JsonNode config = doc.path("config");
            assertThat(config.isObject()).as(file + " config").isTrue();
            assertThat(provided).as(file + " connector.class").contains(config.path("connector.class").asText());
            config.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith("transforms.") && f.getKey().endsWith(".type")
                        && f.getValue().asText().startsWith("dev.eventpipeline.")) {
                    assertThat(provided).as(file + " " + f.getKey()).contains(f.getValue().asText());
                }
            });
        }
    }

    /** Every class registered in a service file of any archive's plugin jar. */
    private static Set<String> providedClasses() throws IOException {
        Set<String> out = new HashSet<>();
        for (PluginArchive a : archives()) {
            JsonNode m = a.manifest();
            Map<String, byte[]> jar = a.jarEntries(m.path("name").asText() + "-" + m.path("version").asText() + ".jar");
            for (String service : SERVICE_BY_TYPE.values()) {
                out.addAll(serviceClasses(jar, service));
            }
        }
        return out;
    }

    private static List<String> serviceClasses(Map<String, byte[]> jar, String service) {
        byte[] file = jar.get("META-INF/services/" + service);
        if (file == null) {
            return List.of();
        }
        return new String(file, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
