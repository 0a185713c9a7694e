package dev.eventpipeline.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.gateway.deadletter.DeadLetter;
import dev.eventpipeline.gateway.deadletter.DeadLetterQuery;
import dev.eventpipeline.gateway.alert.Alert;
import dev.eventpipeline.gateway.alert.AlertManager;
import dev.eventpipeline.gateway.alert.AlertPublisher;
import dev.eventpipeline.gateway.alert.AlertRules;
import dev.eventpipeline.gateway.alert.KafkaAlertPublisher;
import dev.eventpipeline.gateway.alert.LogAlertPublisher;
import dev.eventpipeline.gateway.alert.WebhookAlertPublisher;
import dev.eventpipeline.gateway.config.GatewayConfig;
import dev.eventpipeline.gateway.config.RetryPolicy;
import dev.eventpipeline.gateway.deadletter.DeadLetterReader;
import dev.eventpipeline.gateway.deadletter.DeadLetterRetrier;
import dev.eventpipeline.gateway.deadletter.DeadLetterStats;
import dev.eventpipeline.gateway.replay.IngestClient;
import dev.eventpipeline.gateway.replay.ReplayRequest;
import dev.eventpipeline.gateway.replay.ReplayResult;
import dev.eventpipeline.gateway.replay.ReplayService;
import dev.eventpipeline.schema.EventValidator;
import org.eclipse.jetty.io.Content;
import dev.eventpipeline.gateway.health.HealthReport;
import dev.eventpipeline.gateway.health.HealthService;
import dev.eventpipeline.gateway.health.HttpProbe;
import dev.eventpipeline.gateway.health.KafkaProbe;
import dev.eventpipeline.gateway.health.RedisProbe;
import dev.eventpipeline.gateway.http.Problem;
import dev.eventpipeline.gateway.http.Reply;
import dev.eventpipeline.gateway.http.Router;
import dev.eventpipeline.gateway.ingest.IngestProxy;
import dev.eventpipeline.gateway.ingest.StreamProxies;
import dev.eventpipeline.gateway.latency.EndToEndLatencyPoller;
import dev.eventpipeline.gateway.latency.LatencyMeters;
import dev.eventpipeline.gateway.metrics.GatewayMetrics;
import dev.eventpipeline.gateway.schema.SchemaRoutes;
import dev.eventpipeline.schema.SchemaRegistry;
import dev.eventpipeline.schema.rest.SchemaRegistryHandler;
import dev.eventpipeline.gateway.status.ConnectClient;
import dev.eventpipeline.gateway.status.PipelineStatus;
import dev.eventpipeline.gateway.status.PipelineStatusService;
import dev.eventpipeline.gateway.status.TopicStats;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway: one base URL for operators and clients, the schema registry's API included. Endpoints are listed in {@code openapi.json}, which a test keeps equal to
 * {@link #router()}'s routes.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    static final String OPENAPI_RESOURCE = "/dev/eventpipeline/gateway/openapi.json";
    static final String STATUS_PAGE_RESOURCE = "/dev/eventpipeline/gateway/ui/status.html";
    static final String API_DOCS_RESOURCE = "/dev/eventpipeline/gateway/ui/api.html";
    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4";

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    private final Admin admin;
    private final HealthService health;
    private final PipelineStatusService status;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final DeadLetterReader deadLetters;
    private final Router router;
    private final String openApi;
    private final String statusPage;
    private final String apiDocs;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-status-refresh");
        t.setDaemon(true);
        return t;
    });
    private Server server;

    private final SchemaRoutes schemas;
    private final IngestProxy ingestProxy;
    private final EndToEndLatencyPoller endToEnd;
    private final ReplayService replay;
    private final GatewayConfig config;
    private DeadLetterRetrier retrier;
    private final DeadLetterStats deadLetterStats;
    private final AlertManager alerts;
    private final KafkaAlertPublisher alertTopic;

    /**
     * @param registry the schema registry to serve under {@code /v1/schemas} and to re-validate replayed
     *                 dead letters with (empty: those routes answer 503, replay cannot re-validate)
     */
    GatewayServer(GatewaySettings settings, GatewayConfig config, Optional<SchemaRegistry> registry) throws IOException {
        this.config = config;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"));
        this.health = new HealthService(List.of(
                new KafkaProbe(admin),
                new HttpProbe("connect", settings.connectUrl() + "/"),
                new RedisProbe(settings.redisUrl()),
                new HttpProbe("clickhouse", settings.clickHouseUrl() + "/ping")), Duration.ofSeconds(1), Clock.systemUTC());
        this.deadLetterStats = new DeadLetterStats(settings.bootstrapServers(), Topics.DLQ, Clock.systemUTC());
        this.alertTopic = new KafkaAlertPublisher(settings.bootstrapServers(), config.alertsTopic());
        List<AlertPublisher> publishers = new java.util.ArrayList<>(List.of(new LogAlertPublisher(), alertTopic));
        config.webhookUrl().ifPresent(url -> publishers.add(new WebhookAlertPublisher(url)));
        this.alerts = new AlertManager(new AlertRules(config.alertThresholds()), publishers, Clock.systemUTC());
        this.status = new PipelineStatusService(health, new ConnectClient(settings.connectUrl()), new TopicStats(admin),
                deadLetterStats::counts, this::firingAlerts,
                Clock.systemUTC(), Duration.ofSeconds(2));
        this.deadLetters = new DeadLetterReader(settings.bootstrapServers(), Topics.DLQ);
        this.openApi = readResource(OPENAPI_RESOURCE);
        this.statusPage = readResource(STATUS_PAGE_RESOURCE);
        this.apiDocs = readResource(API_DOCS_RESOURCE);
        this.schemas = new SchemaRoutes(registry.map(SchemaRegistryHandler::new));
        LatencyMeters latency = new LatencyMeters(metrics.registry());
        this.ingestProxy = new IngestProxy(settings.ingestUrl(), latency);
        this.endToEnd = new EndToEndLatencyPoller(settings.clickHouseUrl(), config.clickHouseDatabase(), latency, Clock.systemUTC());
        this.replay = new ReplayService(deadLetters, registry.map(EventValidator::new), new IngestClient(settings.ingestUrl()),
                settings.bootstrapServers());
        this.router = routes();
    }

    /** Starts the gateway and a background refresh of the status-derived metrics every 5 s. */
    public static GatewayServer start(GatewaySettings settings, GatewayConfig config, Optional<SchemaRegistry> registry)
            throws Exception {
        GatewayServer gateway = new GatewayServer(settings, config, registry);
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("gateway");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(StreamProxies.wrap(server, settings.ingestUrl(), gateway.router));
        server.start();
        gateway.server = server;
        gateway.deadLetterStats.start();
        gateway.refresher.scheduleWithFixedDelay(gateway::refreshMetrics, 0, config.alertInterval().toMillis(), TimeUnit.MILLISECONDS);
        RetryPolicy retry = config.retryPolicy();
        if (retry.enabled()) {
            gateway.retrier = new DeadLetterRetrier(settings.bootstrapServers(), Topics.DLQ, retry, Clock.systemUTC()).start();
        }
        log.info("Gateway listening on {}", gateway.url());
        return gateway;
    }

    Router routes() {
        Router router = new Router()
                .add("GET", "/", (req, p) -> Reply.text(200, "text/html", statusPage))
                .add("GET", "/v1/health", (req, p) -> healthReply())
                .add("GET", "/health", (req, p) -> healthReply())
                .add("GET", "/v1/health/live", (req, p) -> Reply.json(200, Map.of("status", "UP")))
                .add("GET", "/v1/metrics", (req, p) -> metricsReply())
                .add("GET", "/metrics", (req, p) -> metricsReply())
                .add("GET", "/v1/pipeline/status", (req, p) -> jsonReply(200, status.status()))
                .add("GET", "/v1/deadletters", (req, p) -> deadLettersReply(req))
                .add("POST", "/v1/deadletters/replay", (req, p) -> replayReply(req))
                .add("GET", "/v1/openapi.json", (req, p) -> Reply.text(200, "application/json", openApi))
                .add("GET", "/v1/docs", (req, p) -> Reply.text(200, "text/html", apiDocs));
        schemas.addTo(router);
        // Ingestion through the gateway's base URL: the connector's listener answers, through Jetty's proxy.
        router.delegate("POST", "/v1/events", ingestProxy)
                .delegate("POST", "/v1/events/batch", ingestProxy)
                .delegate("GET", "/v1/events/stats", ingestProxy)
                .add("GET", StreamProxies.PATH, (req, p) -> Problem.of(426, "upgrade-required", "Upgrade Required",
                        "open a WebSocket here (ws://…" + StreamProxies.PATH + ")", StreamProxies.PATH)
                        .withHeader("Upgrade", "websocket"));
        return router;
    }

    private Reply healthReply() {
        HealthReport report = health.report();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.status());
        body.put("live", true);
        body.put("ready", report.ready());
        body.put("checkedAt", report.checkedAt());
        body.put("notReadyBecause", report.notReadyBecause());
        body.put("dependencies", report.dependencies());
        return jsonReply(report.ready() ? 200 : 503, body);
    }

    private Reply deadLettersReply(Request request) {
        Map<String, String> params = new LinkedHashMap<>();
        Request.extractQueryParameters(request).forEach(f -> params.put(f.getName(), f.getValue()));
        DeadLetterQuery query;
        try {
            query = DeadLetterQuery.parse(params);
        } catch (IllegalArgumentException e) {
            return Problem.of(400, "invalid-parameter", "Bad Request", e.getMessage(), request.getHttpURI().getPathQuery());
        }
        List<DeadLetter> found = deadLetters.read(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", found.size());
        body.put("limit", query.limit());
        body.put("deadLetters", found);
        return jsonReply(200, body);
    }

    private Reply replayReply(Request request) throws Exception {
        String path = Request.getPathInContext(request);
        ReplayRequest parsed;
        try {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            parsed = ReplayRequest.parse(body == null || body.isBlank() ? null : json.readTree(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Problem.of(400, "malformed-json", "Bad Request", "malformed JSON body: " + e.getOriginalMessage(), path);
        } catch (IllegalArgumentException e) {
            return Problem.of(400, "invalid-parameter", "Bad Request", e.getMessage(), path);
        }
        List<ReplayResult> results = replay.replay(parsed);
        Map<String, Long> byOutcome = new java.util.TreeMap<>();
        results.forEach(r -> byOutcome.merge(r.outcome(), 1L, Long::sum));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", results.size());
        body.put("dryRun", parsed.dryRun());
        body.put("outcomes", byOutcome);
        body.put("results", results);
        return jsonReply(200, body);
    }

    private Reply metricsReply() {
        return Reply.text(200, PROMETHEUS_CONTENT_TYPE, metrics.scrape());
    }

    private Reply jsonReply(int code, Object body) {
        try {
            return Reply.text(code, "application/json", json.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Alert> firingAlerts() {
        return config.alertsEnabled() ? alerts.firing() : List.of();
    }

    /** Every evaluation interval: the status-derived metrics, then the alert rules on the same status. */
    private void refreshMetrics() {
        try {
            PipelineStatus current = status.status();
            metrics.record(current);
            endToEnd.poll();
            if (config.alertsEnabled()) {
                alerts.evaluate(current);
            }
        } catch (RuntimeException e) {
            log.debug("status refresh failed: {}", e.toString());
        }
    }

    public Router router() {
        return router;
    }

    public String url() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        String host = c.getHost() == null || c.getHost().equals("0.0.0.0") ? "127.0.0.1" : c.getHost();
        return "http://" + host + ":" + c.getLocalPort();
    }

    static String readResource(String name) throws IOException {
        try (InputStream in = GatewayServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        if (retrier != null) {
            retrier.close();
        }
        replay.close();
        deadLetterStats.close();
        alertTopic.close();
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            log.warn("stopping the gateway failed: {}", e.toString());
        }
        health.close();
        admin.close(Duration.ofSeconds(2));
        metrics.close();
    }
}
