package dev.eventpipeline.reliability.process;

import dev.eventpipeline.ksql.EnrichmentRuntime;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the enrichment runtime's own JVM: the embedded Kafka Streams twin of ksql/migrations,
 * exactly as the embedded shape starts it. Arguments: {@code <bootstrapServers> <redisUrl> <stateDir>}.
 */
public final class EnrichmentMain {
    private EnrichmentMain() {
    }

    public static void main(String[] args) throws Exception {
        EnrichmentRuntime runtime = EnrichmentRuntime.start(args[0], args[1], Path.of(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "enrichment-shutdown"));
        System.out.println("enrichment runtime started");
        stopped.await();
    }
}
