package dev.eventpipeline.compose.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.eventpipeline.contract.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack without a Docker engine: the file is valid against the Compose Specification's
 * JSON schema (vendored in {@code schema/}), everything it mounts or builds exists after
 * {@code mvn package}, every variable comes from {@code .env.example} (which holds no secret), the
 * start order is explicit and health-gated, and what it deploys matches the data contract and the
 * embedded shape (topics, ksql-migrations config, Connect plugin.path).
 */
class ComposeFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static ComposeFile compose;
    static Schema schema;

    @BeforeAll
    static void load() throws IOException {
        compose = ComposeFile.load();
        // Loaded with its file location as base URI: the schema's relative $id ("compose_spec.json") needs one.
        Path file = compose.dir().resolve("schema/compose-spec.json");
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of(file.toUri().toString()), JSON.readTree(Files.readString(file)));
    }

    @Test
    void isValidAgainstTheComposeSpecification() {
        List<Error> errors = schema.validate(compose.root());
        assertThat(errors).as("docker-compose.yml against schema/compose-spec.json").isEmpty();
    }

    @Test
    void theSchemaCheckRejectsWhatComposeWouldReject() {
        ObjectNode broken = compose.root().deepCopy();
        ((ObjectNode) broken.path("services").path("kafka")).put("healthcheck", "yes");
        ((ObjectNode) broken.path("services").path("redis")).put("restart_policy", "always");
        assertThat(schema.validate(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyMountedFileAndBuildContextExistsAfterTheBuild() {
        for (String service : compose.serviceNames()) {
            compose.volumes(service).forEach((source, target) -> {
                if (source.startsWith("./")) {
                    assertThat(compose.dir().resolve(source)).as(service + " mounts " + source + " (run mvn package)").exists();
                } else {
                    assertThat(compose.root().path("volumes").has(source)).as(service + " named volume " + source).isTrue();
                }
            });
            JsonNode build = compose.service(service).path("build");
            if (!build.isMissingNode()) {
                assertThat(compose.dir().resolve(build.asText()).resolve("Dockerfile")).as(service + " build").exists();
            }
        }
    }

    @Test
    void theStagedArtifactsAreTheOnesThisBuildProduced() throws IOException {
        Path plugins = compose.dir().resolve("target/plugins");
        try (Stream<Path> dirs = Files.list(plugins)) {
            assertThat(dirs.map(d -> d.getFileName().toString()).toList()).as("plugin.path of the connect service")
                    .containsExactlyInAnyOrder(
                            "eventpipeline-event-source-connector-" + version(),
                            "eventpipeline-clickhouse-sink-connector-" + version(),
                            "eventpipeline-redis-sink-connector-" + version(),
                            "eventpipeline-event-pipeline-transforms-" + version());
        }
        assertThat(compose.dir().resolve("target/ksql/extensions/event-pipeline-udfs-" + version() + "-ksqldb.jar"))
                .as("ksqlDB extension dir").isRegularFile();
        assertThat(names(compose.dir().resolve("target/ksql/migrations")))
                .as("the bundle's migrations are ksql/migrations")
                .isEqualTo(names(compose.dir().resolve("../ksql/migrations")));
        for (String migration : names(compose.dir().resolve("../ksql/migrations"))) {
            assertThat(compose.dir().resolve("target/ksql/migrations").resolve(migration))
                    .hasSameTextualContentAs(compose.dir().resolve("../ksql/migrations").resolve(migration));
        }
        Path gateway = compose.dir().resolve("target/gateway/event-pipeline-gateway-app.jar");
        try (JarFile jar = new JarFile(gateway.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.eventpipeline.gateway.app.GatewayApp");
        }
    }

    @Test
    void everyVariableIsInTheEnvExampleAndItHoldsNoSecret() throws IOException {
        Set<String> used = compose.variables();
        Set<String> required = new HashSet<>(used);
        required.removeAll(compose.variablesWithDefaults());
        assertThat(compose.envExample().keySet()).as(".env.example defines every variable without a default")
                .containsAll(required);
        assertThat(used).as("no unused entries in .env.example").containsAll(compose.envExample().keySet());
        compose.envExample().forEach((key, value) -> {
            if (key.matches(".*(PASSWORD|SECRET|TOKEN|API_KEYS?)$")) {
                assertThat(value).as(key + " must be empty in the committed example").isEmpty();
            }
        });
        assertThat(Files.readString(compose.dir().resolve(".gitignore")).lines()).contains(".env");
    }

    @Test
    void credentialsAreRequiredNotDefaulted() {
        Map<String, String> env = new HashMap<>(compose.envExample());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> compose.environment("clickhouse", env))
                .hasMessageContaining("CLICKHOUSE_PASSWORD");
        env.put("CLICKHOUSE_PASSWORD", "s3cret-for-the-test");
        assertThat(compose.environment("clickhouse", env)).containsEntry("CLICKHOUSE_PASSWORD", "s3cret-for-the-test");
    }

    @Test
    void imagesArePinnedToVersionsFromTheEnvFile() {
        for (String service : compose.serviceNames()) {
            JsonNode image = compose.service(service).path("image");
            if (image.isMissingNode()) {
                continue;
            }
            String resolved = ComposeFile.interpolate(image.asText(), compose.envExample());
            assertThat(resolved).as(service + " image").matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
        }
    }

    @Test
    void startOrderIsExplicitAndHealthGated() {
        Set<String> services = new LinkedHashSet<>(compose.serviceNames());
        Set<String> oneShots = new HashSet<>();
        for (String s : services) {
            if ("no".equals(compose.service(s).path("restart").asText())) {
                oneShots.add(s);
            } else {
                assertThat(compose.service(s).path("healthcheck").path("test").isMissingNode())
                        .as(s + " runs for good, so it has a health check").isFalse();
            }
        }
        assertThat(oneShots).containsExactlyInAnyOrder("topics", "connect-deploy", "ksql-migrations");
        for (String s : services) {
            compose.service(s).path("depends_on").fields().forEachRemaining(dep -> {
                assertThat(services).as(s + " depends on " + dep.getKey()).contains(dep.getKey());
                String condition = dep.getValue().path("condition").asText();
                assertThat(condition).as(s + " -> " + dep.getKey()).isEqualTo(oneShots.contains(dep.getKey())
                        ? "service_completed_successfully" : "service_healthy");
            });
        }
        assertThat(dependencies("connect")).contains("kafka", "topics", "redis", "clickhouse");
        assertThat(dependencies("gateway")).contains("topics", "connect");
        assertThat(dependencies("connect-deploy")).as("connectors after the registry has the schemas")
                .contains("connect", "gateway");
        assertThat(dependencies("ksqldb")).contains("kafka", "topics", "redis");
        assertThat(dependencies("ksql-migrations")).contains("ksqldb");
        assertAcyclic(services);
    }

    @Test
    void topicsJobCreatesExactlyTheContractTopics() throws Exception {
        String script = Files.readString(compose.dir().resolve("kafka/create-topics.sh"));
        Set<String> created = new HashSet<>();
        Set<String> compacted = new HashSet<>();
        Matcher m = Pattern.compile("^create --topic (\\S+)(.*)$", Pattern.MULTILINE).matcher(script);
        while (m.find()) {
            created.add(m.group(1));
            if (m.group(2).contains("cleanup.policy=compact")) {
                compacted.add(m.group(1));
            }
        }
        Set<String> contract = new HashSet<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                contract.add((String) f.get(null));
            }
        }
        assertThat(created).isEqualTo(contract);
        assertThat(compacted).containsExactlyInAnyOrder(Topics.SCHEMAS, Topics.USER_PROFILE_PURCHASES,
                Topics.USER_PROFILE_PURCHASE_HISTORY);
    }

    @Test
    void ksqlMigrationsConfigDiffersFromTheProjectOnlyInTheServerUrl() throws IOException {
        Properties project = properties(compose.dir().resolve("../ksql/ksql-migrations.properties"));
        Properties stack = properties(compose.dir().resolve("ksql/ksql-migrations.properties"));
        assertThat(stack.getProperty("ksql.server.url")).isEqualTo("http://ksqldb:8088");
        project.remove("ksql.server.url");
        stack.remove("ksql.server.url");
        assertThat(stack).isEqualTo(project);
        assertThat(compose.volumes("ksql-migrations")).containsEntry("./target/ksql/migrations",
                "/opt/event-pipeline/ksql/migrations");
        assertThat(compose.volumes("ksqldb")).containsEntry("./target/ksql/extensions",
                compose.service("ksqldb").path("environment").path("KSQL_KSQL_EXTENSION_DIR").asText());
    }

    @Test
    void connectWorkerLoadsThePluginsTheStackMountsAndResolvesEnvPlaceholders() throws IOException {
        Properties worker = properties(compose.dir().resolve("connect/connect-distributed.properties"));
        assertThat(compose.volumes("connect")).containsEntry("./target/plugins", worker.getProperty("plugin.path"));
        assertThat(worker.getProperty("config.providers")).isEqualTo("env");
        assertThat(worker.getProperty("config.providers.env.class"))
                .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertThat(compose.volumes("connect-deploy")).containsEntry("./target/plugins", "/opt/event-pipeline/plugins");
    }

    @Test
    void overridesNameShippedConnectorsAndOnlyAddPlaceholders() throws IOException {
        Set<String> shipped = new HashSet<>();
        for (Path f : dev.eventpipeline.compose.connect.ConnectorConfig.shipped(compose.dir().resolve("target/plugins"))) {
            shipped.add(JSON.readTree(Files.readString(f)).path("name").asText());
        }
        try (Stream<Path> files = Files.list(compose.dir().resolve("connect-deploy/overrides"))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                assertThat(shipped).as(f + " names a shipped connector").contains(name);
                JSON.readTree(Files.readString(f)).fields().forEachRemaining(e -> assertThat(e.getValue().asText())
                        .as(f + " " + e.getKey() + ": deployment values come from the worker's environment")
                        .matches("\\$\\{env:[A-Z_]+}"));
            }
        }
    }

    @Test
    void everyConnectorPlaceholderIsInTheConnectWorkersEnvironment() throws IOException {
        // An unresolved ${env:X} stays literal: for auth.api.keys that would even be a valid key.
        Set<String> placeholders = new HashSet<>();
        List<Path> files = new ArrayList<>(dev.eventpipeline.compose.connect.ConnectorConfig.shipped(compose.dir().resolve("target/plugins")));
        try (Stream<Path> overrides = Files.list(compose.dir().resolve("connect-deploy/overrides"))) {
            files.addAll(overrides.toList());
        }
        Pattern env = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
        for (Path f : files) {
            Matcher m = env.matcher(Files.readString(f));
            while (m.find()) {
                placeholders.add(m.group(1));
            }
        }
        assertThat(placeholders).contains("CLICKHOUSE_URL", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS", "INGEST_API_KEYS");
        Set<String> workerEnv = new HashSet<>();
        compose.service("connect").path("environment").fieldNames().forEachRemaining(workerEnv::add);
        assertThat(workerEnv).as("connect service environment").containsAll(placeholders);
    }

    private static Set<String> dependencies(String service) {
        Set<String> out = new HashSet<>();
        compose.service(service).path("depends_on").fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static void assertAcyclic(Set<String> services) {
        Map<String, Integer> state = new HashMap<>();
        for (String s : services) {
            visit(s, state, new ArrayList<>());
        }
    }

    private static void visit(String s, Map<String, Integer> state, List<String> path) {
        Integer st = state.get(s);
        if (st != null && st == 2) {
            return;
        }
        path.add(s);
        assertThat(st).as("dependency cycle " + path).isNull();
        state.put(s, 1);
        for (String d : dependencies(s)) {
            visit(d, state, new ArrayList<>(path));
        }
        state.put(s, 2);
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    private static String version() {
        return System.getProperty("pipeline.version");
    }
}
