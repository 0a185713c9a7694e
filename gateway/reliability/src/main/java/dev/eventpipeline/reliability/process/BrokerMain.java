package dev.eventpipeline.reliability.process;

import dev.eventpipeline.embedded.kafka.KafkaBroker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the broker's own JVM: the same {@link KafkaBroker} as the embedded shape (KRaft,
 * broker + controller, data dir kept across restarts). SIGTERM stops it cleanly through the hook.
 * Arguments: {@code <dataDir> <host> <port> <controllerPort>}.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]), args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("broker ready on " + broker.bootstrapServers());
        stopped.await();
    }
}
