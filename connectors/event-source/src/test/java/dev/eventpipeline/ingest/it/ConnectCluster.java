package dev.eventpipeline.ingest.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.connect.ConnectWorkerProcess;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.awaitility.Awaitility.await;

/**
 * A real KRaft broker (in this JVM) and a real distributed Connect worker (child JVM, killable) with
 * the module's own plugin archive ({@code target/*-plugin.zip}) unzipped into its plugin.path, exactly
 * as in production, plus a test-only transform jar. The worker's class path excludes this module's
 * classes, so the connector can only come from the plugin archive.
 */
public final class ConnectCluster implements AutoCloseable {
    public final KafkaBroker broker;
    public final Path dir;
    public final Path pluginPath;
    public final int restPort;
    public ConnectWorkerProcess worker;
    /** Further workers of the same group ({@link #startAnotherWorker()}). */
    public final List<ConnectWorkerProcess> others = new java.util.ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private ConnectCluster(KafkaBroker broker, Path dir, Path pluginPath, int restPort) {
        this.broker = broker;
        this.dir = dir;
        this.pluginPath = pluginPath;
        this.restPort = restPort;
    }

    public static ConnectCluster start(Path dir) throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW, 2, (short) 1), new NewTopic(Topics.DLQ, 1, (short) 1)))
                    .all().get();
        }
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        unzip(pluginZip(), plugins);
        writeTransformJar(plugins.resolve("test-transforms"));
        ConnectCluster cluster = new ConnectCluster(broker, dir, plugins, PortCheck.freePort());
        cluster.startWorker();
        return cluster;
    }

    public void startWorker() throws IOException {
        worker = startWorker(restPort);
    }

    /** A second (third, …) worker in the same Connect group, on its own REST port. */
    public ConnectWorkerProcess startAnotherWorker() throws IOException {
        ConnectWorkerProcess w = startWorker(PortCheck.freePort());
        others.add(w);
        return w;
    }

    private ConnectWorkerProcess startWorker(int port) throws IOException {
        // A departed worker's tasks move at once (Connect waits up to 5 min by default for it to come back).
        return ConnectWorkerProcess.start(broker.bootstrapServers(), "127.0.0.1", port, pluginPath,
                Map.of("offset.flush.interval.ms", "1000", "scheduled.rebalance.max.delay.ms", "0"), workerClassPath(),
                List.of("-Xmx512m", "-XX:+UseSerialGC"), dir.resolve("worker-" + port), Duration.ofSeconds(180));
    }

    /** The test JVM's class path minus this module's own classes (the connector must come from plugin.path). */
    static List<String> workerClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(System.getProperty("path.separator")))
                .filter(e -> !e.contains("event-source" + java.io.File.separator + "target"))
                .filter(e -> !e.contains("junit") && !e.contains("surefire") && !e.contains("failsafe"))
                .toList();
    }

    static Path pluginZip() throws IOException {
        Path target = Path.of(System.getProperty("plugin.zip.dir", "target"));
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-plugin.zip")).findFirst()
                    .orElseThrow(() -> new IOException("no *-plugin.zip in " + target + ": run mvn package first"));
        }
    }

    static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = into.resolve(e.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry outside target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
    }

    /** Packs {@link RouteByMarker} as a plugin jar with its ServiceLoader entry (plugin.discovery=service_load). */
    static void writeTransformJar(Path dir) throws IOException {
        Files.createDirectories(dir);
        String resource = RouteByMarker.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("test-transforms.jar")));
             InputStream cls = RouteByMarker.class.getClassLoader().getResourceAsStream(resource)) {
            jar.putNextEntry(new JarEntry(resource));
            cls.transferTo(jar);
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/org.apache.kafka.connect.transforms.Transformation"));
            jar.write((RouteByMarker.class.getName() + "\n").getBytes());
            jar.closeEntry();
        }
    }

    public String restUrl() {
        return worker.restUrl();
    }

    public HttpResponse<String> rest(String method, String path, String body) throws Exception {
        return rest(restUrl(), method, path, body);
    }

    /** A REST call to one particular worker ({@code baseUrl} = its {@code restUrl()}). */
    public HttpResponse<String> rest(String baseUrl, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates (or updates) a connector and waits until it and {@code tasks} tasks are RUNNING. */
    public void deploy(String name, Map<String, String> config, int tasks) throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "dev.eventpipeline.ingest.EventSourceConnector");
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("errors.tolerance", "none");
        c.put("listener.host", "127.0.0.1");
        c.putAll(config);
        HttpResponse<String> put = rest("PUT", "/connectors/" + name + "/config", JsonMapper.get().writeValueAsString(c));
        if (put.statusCode() >= 300) {
            throw new IllegalStateException("PUT config: " + put.statusCode() + " " + put.body());
        }
        awaitRunning(name, tasks);
    }

    public void awaitRunning(String name, int tasks) {
        awaitRunning(restUrl(), name, tasks);
    }

    /** As {@link #awaitRunning(String, int)}, asking the worker at {@code baseUrl}. */
    public void awaitRunning(String baseUrl, String name, int tasks) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            HttpResponse<String> status = rest(baseUrl, "GET", "/connectors/" + name + "/status", null);
            if (status.statusCode() != 200) {
                return false;
            }
            JsonNode s = JsonMapper.get().readTree(status.body());
            if (!"RUNNING".equals(s.path("connector").path("state").asText()) || s.path("tasks").size() != tasks) {
                return false;
            }
            for (JsonNode t : s.path("tasks")) {
                if ("FAILED".equals(t.path("state").asText())) {
                    throw new IllegalStateException("task failed: " + t.path("trace").asText());
                }
                if (!"RUNNING".equals(t.path("state").asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every record of {@code topics} from the beginning, as eventId -> "topic/partition/offset". */
    public Map<String, String> readAll(List<String> topics, int expectedAtLeast) {
        Map<String, String> byId = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "group.id", "it-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.currentTimeMillis() + 30_000;
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline) {
                var records = consumer.poll(Duration.ofMillis(300));
                for (ConsumerRecord<String, String> r : records) {
                    try {
                        String id = JsonMapper.get().readTree(r.value()).path("eventId").asText();
                        byId.put(id, r.topic() + "/" + r.partition() + "/" + r.offset());
                    } catch (IOException e) {
                        byId.put("unparsable-" + r.offset(), r.value());
                    }
                }
                if (!records.isEmpty()) {
                    quietSince = System.currentTimeMillis();
                } else if (byId.size() >= expectedAtLeast && System.currentTimeMillis() - quietSince > 1_500) {
                    break;
                }
            }
        }
        return byId;
    }

    @Override
    public void close() {
        others.forEach(ConnectWorkerProcess::close);
        if (worker != null) {
            worker.close();
        }
        broker.close();
    }

    static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
