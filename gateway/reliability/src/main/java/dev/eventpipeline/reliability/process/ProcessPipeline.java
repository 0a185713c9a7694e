package dev.eventpipeline.reliability.process;

import dev.eventpipeline.embedded.ChildJvm;

import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.clickhouse.ClickHouseServer;
import dev.eventpipeline.embedded.connect.ConnectWorkerProcess;
import dev.eventpipeline.embedded.redis.RedisServer;
import dev.eventpipeline.gateway.launch.ConnectorDeployer;
import dev.eventpipeline.gateway.launch.PluginInstaller;
import dev.eventpipeline.gateway.launch.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The "separate processes" shape: the same topics, plugin archives, connectors and ClickHouse tables as
 * the embedded shape ({@code EmbeddedPipeline}), but the broker, the Connect worker, the enrichment
 * runtime and the gateway (with the schema registry) each run in their own JVM, next to the Redis and
 * ClickHouse server processes, so that a fault-injection test can kill or stop any one of them alone
 * and restart it on the same ports and data directories.
 *
 * <p>Start order as in the embedded shape: Redis and ClickHouse; broker; topics; gateway + registry
 * (shipped schemas registered before any event is validated); Connect worker; connectors; enrichment.
 */
public final class ProcessPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessPipeline.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** Ports and directories; {@link #freePorts} gives a pipeline that clashes with nothing else on the machine. */
    public record Layout(Path workDir, Path pluginArchives, String host, int kafkaPort, int controllerPort, int connectPort,
                         int ingestPort, int redisPort, int clickHouseHttpPort, int clickHouseTcpPort, int gatewayPort,
                         int registryPort) {
        public static Layout freePorts(Path workDir, Path pluginArchives) {
            return new Layout(workDir, pluginArchives, "127.0.0.1", PortCheck.freePort(), PortCheck.freePort(),
                    PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(),
                    PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort());
        }

        public String bootstrapServers() {
            return host + ":" + kafkaPort;
        }

        public String connectUrl() {
            return "http://" + host + ":" + connectPort;
        }

        public String ingestHttpUrl() {
            return "http://" + host + ":" + ingestPort;
        }

        public String ingestWsUrl() {
            return "ws://" + host + ":" + ingestPort + "/events/stream";
        }

        public String gatewayUrl() {
            return "http://" + host + ":" + gatewayPort;
        }
    }

    private final Layout layout;
    private final List<String> classPath;
    private final List<String> jvmOptions;
    private final Path logs;
    private RedisServer redis;
    private ClickHouseServer clickHouse;
    private ChildJvm broker;
    private ChildJvm gateway;
    private ConnectWorkerProcess connect;
    private ChildJvm enrichment;
    private List<String> connectors = List.of();

    private ProcessPipeline(Layout layout, List<String> classPath, Path logs) throws IOException {
        this.layout = layout;
        this.classPath = classPath;
        this.logs = logs;
        Path log4j = logs.resolve("log4j2-child.xml");
        try (var in = ProcessPipeline.class.getResourceAsStream("/dev/eventpipeline/reliability/log4j2-child.xml")) {
            Files.write(log4j, in.readAllBytes());
        }
        this.jvmOptions = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + log4j,
                "-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager");
    }

    /** Starts every component; on failure stops what was started and rethrows. */
    public static ProcessPipeline start(Layout layout) throws IOException, InterruptedException {
        Path logs = Files.createDirectories(layout.workDir().resolve("logs"));
        ProcessPipeline p = new ProcessPipeline(layout, componentClassPath(), logs);
        try {
            p.startAll();
            return p;
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * This JVM's class path without our plugin modules' own jars/classes: the worker must load the
     * connectors and transforms from {@code plugin.path} only, as in every other shape.
     */
    public static List<String> componentClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.matches(".*(event-source|clickhouse-sink|redis-sink)(-connector)?[^" + File.separator + "]*\\.jar"))
                .filter(e -> !e.contains("junit") && !e.contains("surefire") && !e.contains("failsafe"))
                .toList();
    }

    private void startAll() throws IOException, InterruptedException {
        Path work = layout.workDir();
        startRedis();
        startClickHouse();
        startBroker();
        TopicProvisioner.createContractTopics(layout.bootstrapServers());
        startGateway();
        List<Path> components = PluginInstaller.install(layout.pluginArchives(), work.resolve("plugins"));
        startConnect();
        ConnectorDeployer deployer = new ConnectorDeployer(layout.connectUrl(), placeholders());
        connectors = deployer.deploy(PluginInstaller.connectorConfigs(components));
        awaitConnectorsRunning(Duration.ofSeconds(90));
        awaitIngestListening(Duration.ofSeconds(60));
        startEnrichment();
        log.info("pipeline up as separate processes: broker {}, connect {}, enrichment {}, gateway {}, redis :{}, clickhouse :{}",
                broker.pid(), connect.pid(), enrichment.pid(), gateway.pid(), layout.redisPort(), layout.clickHouseHttpPort());
    }

    Map<String, String> placeholders() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", layout.bootstrapServers(),
                "INGEST_HOST", layout.host(),
                "INGEST_PORT", String.valueOf(layout.ingestPort()),
                "REDIS_URL", redisUrl(),
                "CLICKHOUSE_URL", clickHouseUrl());
    }

    // --- components, each startable again after a fault ---

    public void startRedis() throws IOException {
        redis = RedisServer.start(layout.workDir().resolve("redis"), layout.redisPort());
    }

    public void stopRedis() {
        redis.stop();
    }

    public void startClickHouse() throws IOException {
        clickHouse = ClickHouseServer.start(layout.workDir().resolve("clickhouse"), layout.clickHouseHttpPort(),
                layout.clickHouseTcpPort());
    }

    public void stopClickHouse() {
        clickHouse.stop();
    }

    public void startBroker() throws IOException, InterruptedException {
        broker = ChildJvm.start("broker", BrokerMain.class.getName(), classPath, jvmOptions,
                List.of(layout.workDir().resolve("kafka").toString(), layout.host(), Integer.toString(layout.kafkaPort()),
                        Integer.toString(layout.controllerPort())), logs);
        awaitCondition("broker on " + layout.bootstrapServers(), broker, this::brokerAnswers);
    }

    private boolean brokerAnswers() {
        if (!PortCheck.isListening(layout.host(), layout.kafkaPort())) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", layout.bootstrapServers(),
                "request.timeout.ms", "3000", "default.api.timeout.ms", "3000"))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** SIGTERM and wait: a controlled broker restart (the broker flushes and closes its logs). */
    public void stopBroker() {
        broker.close();
    }

    public void killBroker() {
        broker.kill();
    }

    public void startGateway() throws IOException, InterruptedException {
        gateway = ChildJvm.start("gateway", GatewayMain.class.getName(), classPath, jvmOptions,
                List.of(layout.bootstrapServers(), layout.host(), Integer.toString(layout.registryPort()),
                        Integer.toString(layout.gatewayPort()), layout.connectUrl(), redisUrl(), clickHouseUrl(),
                        layout.ingestHttpUrl()), logs);
        awaitCondition("gateway on " + layout.gatewayUrl(), gateway, () -> httpStatus(layout.gatewayUrl() + "/v1/health/live") == 200);
    }

    public void stopGateway() {
        gateway.close();
    }

    /** Environment variable with extra JVM options for the Connect worker (e.g. a JFR recording for the benchmark). */
    public static final String CONNECT_JAVA_OPTS_ENV = "RELIABILITY_CONNECT_JAVA_OPTS";

    public void startConnect() throws IOException {
        // Same heap and collector as the embedded shape's single JVM (./pipeline up).
        List<String> options = new ArrayList<>(List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", jvmOptions.get(3),
                jvmOptions.get(4)));
        String extra = System.getenv(CONNECT_JAVA_OPTS_ENV);
        if (extra != null && !extra.isBlank()) {
            options.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        connect = ConnectWorkerProcess.start(layout.bootstrapServers(), layout.host(), layout.connectPort(),
                layout.workDir().resolve("plugins"), Map.of(), classPath, options, logs, START_TIMEOUT);
    }

    public void killConnect() {
        connect.kill();
    }

    public void stopConnect() {
        connect.close();
    }

    public void startEnrichment() throws IOException {
        enrichment = ChildJvm.start("enrichment", EnrichmentMain.class.getName(), classPath, jvmOptions,
                List.of(layout.bootstrapServers(), redisUrl(), layout.workDir().resolve("enrichment").toString()), logs);
    }

    public void killEnrichment() {
        enrichment.kill();
    }

    // --- readiness ---

    /** Waits until every deployed connector and all its tasks report RUNNING. */
    public void awaitConnectorsRunning(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (String name : connectors) {
                String status = httpBody(layout.connectUrl() + "/connectors/" + name + "/status");
                last = name + ": " + status;
                if (status == null || !status.contains("\"state\":\"RUNNING\"") || status.contains("FAILED")
                        || status.contains("UNASSIGNED") || !status.contains("\"tasks\":[{")) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("connectors not RUNNING within " + timeout + "; last: " + last);
    }

    public void awaitIngestListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!PortCheck.isListening(layout.host(), layout.ingestPort())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("ingestion listener " + layout.ingestHttpUrl() + " not open within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static void awaitCondition(String what, ChildJvm process, BooleanSupplier ready) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IOException(what + ": process exited; log tail:\n" + process.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " not ready within " + START_TIMEOUT + "; log tail:\n" + process.logTail());
            }
            Thread.sleep(100);
        }
    }

    static int httpStatus(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String httpBody(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // --- accessors ---

    public Layout layout() {
        return layout;
    }

    public List<String> connectors() {
        return connectors;
    }

    public String redisUrl() {
        return "redis://" + layout.host() + ":" + layout.redisPort();
    }

    public String clickHouseUrl() {
        return "http://" + layout.host() + ":" + layout.clickHouseHttpPort();
    }

    /** The current ClickHouse server (a new object after each restart). */
    public ClickHouseServer clickHouse() {
        return clickHouse;
    }

    /** Pids by component, for CPU and RSS sampling; Redis and ClickHouse from their pid files. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("broker", broker.pid());
        pids.put("connect", connect.pid());
        pids.put("enrichment", enrichment.pid());
        pids.put("gateway", gateway.pid());
        pidFromFile(layout.workDir().resolve("redis").resolve("redis.pid")).ifPresent(p -> pids.put("redis", p));
        findPidFile(layout.workDir().resolve("clickhouse")).flatMap(ProcessPipeline::pidFromFile)
                .ifPresent(p -> pids.put("clickhouse", p));
        return pids;
    }

    private static java.util.Optional<Path> findPidFile(Path dir) {
        try (var files = Files.walk(dir, 2)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid")).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<Long> pidFromFile(Path file) {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Stops everything: Connect first, then enrichment and gateway, the broker, then Redis and ClickHouse. */
    @Override
    public void close() {
        List<Runnable> stops = new ArrayList<>();
        stops.add(() -> { if (connect != null) connect.close(); });
        stops.add(() -> { if (enrichment != null) enrichment.close(); });
        stops.add(() -> { if (gateway != null) gateway.close(); });
        stops.add(() -> { if (broker != null) broker.close(); });
        stops.add(() -> { if (redis != null) redis.stop(); });
        stops.add(() -> { if (clickHouse != null) clickHouse.stop(); });
        for (Runnable stop : stops) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                log.warn("stopping a component failed: {}", e.toString());
            }
        }
    }
}
