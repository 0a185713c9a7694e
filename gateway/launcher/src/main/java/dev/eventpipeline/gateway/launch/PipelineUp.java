package dev.eventpipeline.gateway.launch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./pipeline up}: starts the embedded shape, prints where everything listens, and runs until
 * Ctrl-C (SIGINT/SIGTERM), then stops it cleanly.
 */
public final class PipelineUp {
    private static final Logger log = LoggerFactory.getLogger(PipelineUp.class);

    private PipelineUp() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        PipelineSettings settings = PipelineSettings.fromEnvironment();
        EmbeddedPipeline pipeline;
        try {
            pipeline = EmbeddedPipeline.start(settings);
        } catch (Exception e) {
            log.error("event-pipeline failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping event-pipeline ...");
            pipeline.close();
            log.info("event-pipeline stopped");
            stopped.countDown();
        }, "pipeline-shutdown"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(banner(pipeline, seconds));
        stopped.await();
    }

    static String banner(EmbeddedPipeline p, double seconds) {
        return String.format("""

                event-pipeline is up (ready in %.1f s). Ctrl-C stops it.

                  gateway            %s                 /v1/health  /v1/metrics  /v1/pipeline/status  /v1/openapi.json
                  ingest (HTTP)      %s/events          POST one JSON event
                  schema registry    %s/schemas
                  Kafka bootstrap    %s
                  Connect REST       %s/connectors      connectors: %s
                  ClickHouse HTTP    %s                 database event_pipeline
                  Redis              %s
                  work directory     %s           (delete it to start from scratch)
                  logs               %s/logs

                  try:  curl -s -X POST %s/events -H 'Content-Type: application/json' -d @examples/item-added.json
                """,
                seconds,
                p.gatewayUrl(), p.ingestUrl(), p.registryUrl(), p.bootstrapServers(), p.connectUrl(), String.join(", ", p.connectors()),
                p.clickHouseUrl(), p.redisUrl(), p.settings().workDir(), p.settings().workDir(),
                p.ingestUrl());
    }
}
