package dev.eventpipeline.ksql.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.embedded.PortCheck;
import dev.eventpipeline.embedded.kafka.KafkaBroker;
import dev.eventpipeline.ksql.Enricher;
import dev.eventpipeline.ksql.EnrichmentRuntime;
import dev.eventpipeline.ksql.SourceSchema;
import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.lookup.InMemoryHashSource;
import dev.eventpipeline.udfs.lookup.Lookups;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enrichment throughput of the embedded twin (scripts/bench-enrich.sh).
 *
 * <ol>
 *   <li>{@code enrich}: the twin's per-record work — read the JSON bytes into the source columns,
 *       call the five UDFs, write the enriched JSON bytes — with warm lookup caches, on 1 and 2
 *       threads (one Enricher per thread, as one per stream task).</li>
 *   <li>{@code streams}: the whole Kafka Streams application on a real in-process broker: N
 *       validated events pre-loaded on 2 partitions, then the time until every one is in
 *       cart-events-enriched (plus routes and profile topics written on the way).</li>
 * </ol>
 */
public final class EnrichBenchmark {
    static final int USERS = 1000;
    static final int STORES = 50;
    static final int SESSIONS = 20_000;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        if (mode.equals("all") || mode.equals("enrich")) {
            enrich(n);
        }
        if (mode.equals("all") || mode.equals("streams")) {
            streams(args.length > 2 ? Integer.parseInt(args[2]) : 500_000);
        }
        System.exit(0);
    }

    static byte[][] events(int n) {
        String[] types = {"cart.item_added", "cart.item_added", "cart.quantity_changed", "cart.viewed", "cart.item_removed",
                "checkout.started", "order.completed", "cart.cleared"};
        byte[][] out = new byte[n][];
        Instant base = Instant.parse("2026-11-27T08:00:00Z");
        for (int i = 0; i < n; i++) {
            String type = types[i % types.length];
            int s = i % SESSIONS;
            String price = (5 + i % 90) + ".99";
            String currency = i % 5 == 0 ? "USD" : "EUR";
            String product = "p-" + (i % 500);
            // payloads as the registry's latest schemas define them (what ValidateEvent lets through)
            String payload = switch (type) {
                case "cart.item_added" -> "{\"productId\":\"" + product + "\",\"sku\":\"SKU-" + (i % 500) + "\",\"quantity\":" + (1 + i % 3)
                        + ",\"currency\":\"" + currency + "\",\"unitPrice\":" + price + ",\"source\":\"web\",\"discount\":0}";
                case "cart.item_removed" -> "{\"productId\":\"p-" + ((i - 4) % 500) + "\",\"quantity\":1,\"reason\":\"user\"}";
                case "cart.quantity_changed" -> "{\"productId\":\"p-" + ((i - 1) % 500) + "\",\"previousQuantity\":1,\"newQuantity\":2}";
                case "cart.viewed" -> "{\"cartId\":\"c-" + s + "\",\"itemCount\":3,\"currency\":\"" + currency + "\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2,\"unitPrice\":"
                        + price + "},{\"productId\":\"p-2\",\"quantity\":1,\"unitPrice\":" + price + "}]}";
                case "checkout.started" -> "{\"cartId\":\"c-" + s + "\",\"checkoutId\":\"k-" + i + "\",\"itemCount\":2,\"subtotal\":" + price
                        + ",\"currency\":\"" + currency + "\"}";
                case "order.completed" -> "{\"orderId\":\"o-" + i + "\",\"checkoutId\":\"k-" + (i - 1) + "\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2,\"unitPrice\":"
                        + price + "}],\"subtotal\":" + price + ",\"tax\":1.5,\"shipping\":0,\"total\":" + price + ",\"currency\":\"" + currency
                        + "\",\"paymentMethod\":\"card\"}";
                default -> "{\"cartId\":\"c-" + s + "\",\"itemCount\":0,\"reason\":\"user\"}";
            };
            String event = "{\"eventId\":\"e-" + i + "\",\"type\":\"" + type + "\",\"schemaVersion\":" + (type.equals("cart.item_added") ? 3 : 1) + ",\"occurredAt\":\""
                    + base.plusMillis(i * 10L) + "\",\"userId\":\"u-" + (i % USERS) + "\",\"sessionId\":\"s-" + s
                    + "\",\"storeId\":\"store-" + (i % STORES) + "\",\"payload\":" + payload + "}";
            out[i] = event.getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    static Map<String, Object> seededConfig(String name) {
        InMemoryHashSource redis = Lookups.memory(name);
        for (int u = 0; u < USERS; u++) {
            redis.put("user_profile:u-" + u, Map.of("lastSeen", "2026-11-26T18:00:00Z", "purchaseCount", String.valueOf(u % 7),
                    "preferences", "{\"newsletter\":true}"));
        }
        for (int s = 0; s < STORES; s++) {
            redis.put("store_config:store-" + s, Map.of("timezone", s % 2 == 0 ? "Europe/Berlin" : "America/New_York",
                    "businessHours", "08:00-20:00", "settings", "{\"currency\":\"EUR\"}"));
        }
        Map<String, Object> config = new HashMap<>();
        config.put(FunctionConfig.REDIS_URL, "memory:" + name);
        return config;
    }

    static void enrich(int n) throws Exception {
        byte[][] events = events(n);
        Map<String, Object> config = seededConfig("bench");
        for (int threads : new int[] {1, 2}) {
            for (int round = 0; round < 2; round++) { // round 0 warms JIT and caches
                Enricher[] enrichers = new Enricher[threads];
                for (int t = 0; t < threads; t++) {
                    enrichers[t] = new Enricher(config);
                }
                AtomicLong bytesOut = new AtomicLong();
                AtomicLong cpuNanos = new AtomicLong();
                CountDownLatch done = new CountDownLatch(threads);
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    new Thread(() -> {
                        long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                        long sum = 0;
                        for (int i = id; i < n; i += threads) {
                            try {
                                // the twin's per-record work: bytes -> source columns -> 5 UDFs -> enriched bytes
                                ObjectNode row = SourceSchema.read(events[i]);
                                sum += JsonMapper.get().writeValueAsBytes(enrichers[id].enrich(row).row()).length;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        bytesOut.addAndGet(sum);
                        cpuNanos.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
                        done.countDown();
                    }).start();
                }
                done.await();
                double secs = (System.nanoTime() - start) / 1e9;
                if (round == 1) {
                    System.out.printf("enrich: %d events, %d thread(s): %.2f s wall, %,.0f events/s wall; "
                                    + "%.2f s CPU of the enrich threads = %,.0f events per CPU-second; avg out %d bytes%n",
                            n, threads, secs, n / secs, cpuNanos.get() / 1e9, n / (cpuNanos.get() / 1e9), bytesOut.get() / n);
                }
            }
        }
        System.out.println("enrich: lookup calls to the store (cache misses): " + Lookups.memory("bench").calls());
    }

    static void streams(int n) throws Exception {
        Path work = Files.createTempDirectory("bench-enrich");
        byte[][] events = events(n);
        try {
            streams(n, work, events);
        } finally {
            // broker log and Streams state: gigabytes per run, which used to pile up in /tmp
            try (java.util.stream.Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void streams(int n, Path work, byte[][] events) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), "127.0.0.1", PortCheck.freePort(), PortCheck.freePort())) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(Topics.VALIDATED, 2, (short) 1));
            topics.add(new NewTopic(Topics.ENRICHED, 2, (short) 1));
            topics.add(new NewTopic(Topics.DLQ, 1, (short) 1));
            Topics.ENRICHMENT_OUTPUTS.forEach(t -> topics.add(new NewTopic(t, 2, (short) 1)));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(topics).all().get();
                long t0 = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                        "linger.ms", 5, "batch.size", 65536, "compression.type", "lz4"), new StringSerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < n; i++) {
                        producer.send(new ProducerRecord<>(Topics.VALIDATED, "s-" + (i % SESSIONS), events[i]));
                    }
                    producer.flush();
                }
                System.out.printf("streams: pre-loaded %d validated events in %.1f s (%,.0f events/s producer)%n", n,
                        (System.nanoTime() - t0) / 1e9, n / ((System.nanoTime() - t0) / 1e9));
                // on a loaded machine the pre-loading producer can fail sends (not-leader / out-of-order sequence while
                // the new partitions settle): wait for what actually arrived
                long loaded = endOffsets(admin, List.of(new TopicPartition(Topics.VALIDATED, 0), new TopicPartition(Topics.VALIDATED, 1)));
                if (loaded != n) {
                    System.out.printf("streams: only %d of %d pre-loaded events were written (producer errors); measuring those%n",
                            loaded, n);
                    n = (int) loaded;
                }
                Map<String, Object> config = seededConfig("bench-streams");
                Map<Long, Long> threadCpu0 = threadCpu();
                long[] gc0 = gc();
                long processCpu0 = processCpu();
                long start = System.nanoTime();
                long firstOutput = 0;
                try (EnrichmentRuntime runtime = EnrichmentRuntime.start(
                        EnrichmentRuntime.streamsConfig(broker.bootstrapServers(), work.resolve("streams"), Map.of()), config)) {
                    List<TopicPartition> parts = List.of(new TopicPartition(Topics.ENRICHED, 0), new TopicPartition(Topics.ENRICHED, 1));
                    long count = 0;
                    while (count < n) {
                        Thread.sleep(200);
                        count = endOffsets(admin, parts);
                        if (firstOutput == 0 && count > 0) {
                            firstOutput = System.nanoTime();
                        }
                        if ((System.nanoTime() - start) / 1e9 > 600) {
                            throw new IllegalStateException("only " + count + " enriched after 600 s");
                        }
                    }
                    long end = System.nanoTime();
                    double secs = (end - start) / 1e9;
                    double cpu = (processCpu() - processCpu0) / 1e9;
                    Map<String, Double> byGroup = cpuByGroup(threadCpu0);
                    long[] gc1 = gc();
                    System.out.printf("streams: %d events enriched and routed end to end in %.2f s (incl. startup): %,.0f events/s%n",
                            n, secs, n / secs);
                    System.out.printf("streams: from the first enriched record to the last: %.2f s, %,.0f events/s%n",
                            (end - firstOutput) / 1e9, n / ((end - firstOutput) / 1e9));
                    // every record written meanwhile (outputs, DLQ, the purchases repartition and changelog topics)
                    List<TopicPartition> written = new ArrayList<>();
                    for (var d : admin.describeTopics(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                            .listInternal(false)).names().get()).allTopicNames().get().values()) {
                        if (!d.name().equals(Topics.VALIDATED) && !d.name().startsWith("__")) {
                            d.partitions().forEach(p -> written.add(new TopicPartition(d.name(), p.partition())));
                        }
                    }
                    long records = endOffsets(admin, written);
                    System.out.printf("streams: records written: %,d (%.2f per event, %,.0f records/s)%n", records, (double) records / n,
                            records / secs);
                    System.out.printf("streams: CPU of the JVM during the run: %.1f s = %,.0f events per CPU-second; by thread: %s%n",
                            cpu, n / cpu, byGroup);
                    System.out.printf("streams: GC during the run: %d collections, %.1f s; JIT compilation so far %.1f s%n",
                            gc1[0] - gc0[0], (gc1[1] - gc0[1]) / 1e3,
                            java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3);
                }
            }
        }
    }

    static long endOffsets(Admin admin, List<TopicPartition> parts) throws Exception {
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        parts.forEach(p -> spec.put(p, OffsetSpec.latest()));
        long count = 0;
        for (var e : admin.listOffsets(spec).all().get().values()) {
            count += e.offset();
        }
        return count;
    }

    /** Collections and their total time (ms) of every collector so far. */
    static long[] gc() {
        long[] out = new long[2];
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            out[0] += Math.max(0, gc.getCollectionCount());
            out[1] += Math.max(0, gc.getCollectionTime());
        }
        return out;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static Map<Long, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            out.put(id, mx.getThreadCpuTime(id));
        }
        return out;
    }

    /** CPU seconds since {@code before} of the live threads, by kind (stream threads, their producers' I/O, broker, other). */
    static Map<String, Double> cpuByGroup(Map<Long, Long> before) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Double> out = new java.util.TreeMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.startsWith("kafka-producer-network-thread") && name.contains("StreamThread") ? "streams-producer-io"
                    : name.contains("StreamThread") ? "stream-threads"
                    : name.startsWith("data-plane-kafka-request-handler") ? "broker-request-handlers"
                    : name.startsWith("data-plane-kafka-network") ? "broker-network"
                    : name.startsWith("kafka-") || name.contains("raft") || name.contains("quorum") || name.contains("broker")
                            || name.contains("log-") || name.contains("coordinator") ? "broker-other" : "other";
            out.merge(group, (cpu - before.getOrDefault(info.getThreadId(), 0L)) / 1e9, Double::sum);
        }
        out.replaceAll((group, secs) -> Math.round(secs * 10) / 10.0);
        return out;
    }
}
