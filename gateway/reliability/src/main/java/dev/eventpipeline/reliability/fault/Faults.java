package dev.eventpipeline.reliability.fault;

import dev.eventpipeline.reliability.process.ProcessPipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenarios of issue #9, by name. */
public final class Faults {
    private Faults() {
    }

    private record Simple(String name, String description, Duration outage, Step inject, Step heal) implements Fault {
        @Override
        public void inject(ProcessPipeline p) throws Exception {
            inject.run(p);
        }

        @Override
        public void heal(ProcessPipeline p) throws Exception {
            heal.run(p);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(ProcessPipeline p) throws Exception;
    }

    /** Every scenario; {@code outageSeconds} is the ClickHouse and Redis outage (60 in the full suite). */
    public static Map<String, Fault> all(int outageSeconds) {
        Duration outage = Duration.ofSeconds(outageSeconds);
        Map<String, Fault> faults = new LinkedHashMap<>();
        for (Fault f : List.<Fault>of(
                new Simple("connect-kill", "Connect worker SIGKILL, restarted after 5 s", Duration.ofSeconds(5),
                        ProcessPipeline::killConnect, Faults::restartConnect),
                new Simple("broker-restart", "broker stopped (SIGTERM) and restarted", Duration.ofSeconds(1),
                        ProcessPipeline::stopBroker, ProcessPipeline::startBroker),
                new Simple("broker-kill", "broker SIGKILL, restarted after 5 s", Duration.ofSeconds(5),
                        ProcessPipeline::killBroker, ProcessPipeline::startBroker),
                new Simple("clickhouse-stop", "ClickHouse stopped " + outageSeconds + " s", outage,
                        ProcessPipeline::stopClickHouse, ProcessPipeline::startClickHouse),
                new Simple("redis-stop", "Redis stopped " + outageSeconds + " s", outage,
                        ProcessPipeline::stopRedis, ProcessPipeline::startRedis),
                new Simple("enrichment-kill", "enrichment runtime SIGKILL, restarted after 5 s", Duration.ofSeconds(5),
                        ProcessPipeline::killEnrichment, ProcessPipeline::startEnrichment),
                new Simple("task-restart", "event-source and clickhouse-sink-raw task 0 restarted via Connect REST",
                        Duration.ZERO, Faults::restartTasks, p -> { }),
                new Simple("gateway-restart", "gateway (with schema registry) stopped and restarted", Duration.ofSeconds(1),
                        ProcessPipeline::stopGateway, ProcessPipeline::startGateway))) {
            faults.put(f.name(), f);
        }
        return faults;
    }

    private static void restartConnect(ProcessPipeline p) throws Exception {
        p.startConnect();
        p.awaitConnectorsRunning(Duration.ofSeconds(120));
        p.awaitIngestListening(Duration.ofSeconds(60));
    }

    private static void restartTasks(ProcessPipeline p) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (String connector : List.of("event-source", "clickhouse-sink-raw")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(p.layout().connectUrl()
                            + "/connectors/" + connector + "/tasks/0/restart")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("restarting " + connector + " task 0: HTTP " + r.statusCode() + " " + r.body());
            }
        }
    }
}
