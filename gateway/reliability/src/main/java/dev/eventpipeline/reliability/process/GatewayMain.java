package dev.eventpipeline.reliability.process;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.gateway.GatewayServer;
import dev.eventpipeline.gateway.GatewaySettings;
import dev.eventpipeline.gateway.config.GatewayConfig;
import dev.eventpipeline.schema.rest.SchemaRegistryServer;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the gateway's own JVM: the schema registry (shipped schemas registered, idempotently)
 * and the gateway API, as in the embedded shape. Arguments: {@code <bootstrapServers> <host>
 * <registryPort> <gatewayPort> <connectUrl> <redisUrl> <clickHouseUrl> <ingestUrl>}.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String host = args[1];
        SchemaRegistryServer registry = SchemaRegistryServer.start(new SchemaRegistryServer.Settings(bootstrap,
                Topics.SCHEMAS, host, Integer.parseInt(args[2]), true, args[5]));
        GatewayServer gateway = GatewayServer.start(new GatewaySettings(host, Integer.parseInt(args[3]), bootstrap,
                args[4], args[5], args[6], args[7]), GatewayConfig.defaults(), Optional.of(registry.registry()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
                registry.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("gateway ready at " + gateway.url() + ", registry at " + registry.url());
        stopped.await();
    }
}
