package dev.eventpipeline.schema;

import dev.eventpipeline.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The registry's durable log: a compacted Kafka topic ({@link Topics#SCHEMAS} by default, one
 * partition, created by the launcher). A reader thread replays it from the beginning at start and then
 * tails it, so versions registered by any registry instance reach every reader (the transforms in the
 * Connect worker, the gateway) without a restart. Writes use an idempotent producer with acks=all.
 */
public final class KafkaSchemaLog implements SchemaLog {
    private static final Logger log = LoggerFactory.getLogger(KafkaSchemaLog.class);

    private final String topic;
    private final Map<String, Object> clientProps;
    private final boolean writable;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread reader;
    private volatile boolean running;
    private volatile BiConsumer<String, String> apply;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
    private final Object appliedLock = new Object();
    private long appliedOffset = 0; // next offset to apply; guarded by appliedLock

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the compacted schemas topic
     * @param extraClientProps extra client properties (security, ...), may be empty
     * @param writable         false for read-only users (the transforms): no producer is created
     */
    public KafkaSchemaLog(String bootstrapServers, String topic, Map<String, ?> extraClientProps, boolean writable) {
        this.topic = topic;
        this.writable = writable;
        this.clientProps = new HashMap<>(extraClientProps);
        this.clientProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    @Override
    public void start(BiConsumer<String, String> apply, Duration timeout) {
        this.apply = apply;
        Map<String, Object> c = new HashMap<>(clientProps);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-reader-" + Long.toHexString(System.nanoTime()));
        // A sync (every registration starts with one) waited out the broker's hold of an idle fetch: with the
        // default fetch.max.wait.ms of 500 ms, each registration took ~0.5 s. The log is tiny; 50 ms fetches are cheap.
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumer = new KafkaConsumer<>(c);
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("schemas topic " + topic + " does not exist (create it compacted, 1 partition)");
        }
        if (partitions.size() != 1) {
            consumer.close();
            throw new IllegalStateException("schemas topic " + topic + " must have exactly 1 partition, has " + partitions.size());
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        if (writable) {
            Map<String, Object> p = new HashMap<>(clientProps);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(p);
        }
        running = true;
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        syncRequests.add(loaded);
        reader = new Thread(() -> readLoop(tp), "schema-log-reader-" + topic);
        reader.setDaemon(true);
        reader.start();
        await(loaded, timeout, "replaying " + topic);
        log.info("Schema log {} replayed up to offset {}", topic, appliedOffset());
    }

    private void readLoop(TopicPartition tp) {
        long target = -1;
        List<CompletableFuture<Void>> waiting = new java.util.ArrayList<>();
        try {
            while (running) {
                if (!syncRequests.isEmpty()) {
                    CompletableFuture<Void> f;
                    while ((f = syncRequests.poll()) != null) {
                        waiting.add(f);
                    }
                    target = consumer.endOffsets(List.of(tp)).get(tp);
                }
                // Short idle polls: every registration starts with a sync request, which waits for the next poll.
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(waiting.isEmpty() ? 50 : 20))) {
                    try {
                        apply.accept(rec.key(), rec.value());
                    } catch (RuntimeException e) {
                        log.error("Ignoring unreadable schema log record {} at offset {}", rec.key(), rec.offset(), e);
                    }
                    synchronized (appliedLock) {
                        appliedOffset = rec.offset() + 1;
                        appliedLock.notifyAll();
                    }
                }
                long position = consumer.position(tp);
                synchronized (appliedLock) {
                    appliedOffset = Math.max(appliedOffset, position);
                    appliedLock.notifyAll();
                }
                if (!waiting.isEmpty() && position >= target) {
                    waiting.forEach(w -> w.complete(null));
                    waiting.clear();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Schema log reader of {} stopped", topic, e);
            waiting.forEach(w -> w.completeExceptionally(e));
            syncRequests.forEach(w -> w.completeExceptionally(e));
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void append(String key, String value) {
        if (producer == null) {
            throw new IllegalStateException("this schema log is read-only");
        }
        long offset;
        try {
            offset = producer.send(new ProducerRecord<>(topic, 0, key, value)).get(30, TimeUnit.SECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(503, "interrupted while writing to " + topic);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new SchemaRegistryException(503, "could not write to " + topic + ": " + cause);
        }
        // Read-your-writes: wait until the reader applied it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (appliedLock) {
            while (appliedOffset <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SchemaRegistryException(503, "written to " + topic + " but not read back within 30 s");
                }
                try {
                    appliedLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SchemaRegistryException(503, "interrupted");
                }
            }
        }
    }

    @Override
    public void sync(Duration timeout) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        syncRequests.add(f);
        await(f, timeout, "reading " + topic + " to its end");
    }

    private static void await(CompletableFuture<Void> f, Duration timeout, String what) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(503, "interrupted while " + what);
        } catch (ExecutionException e) {
            throw new SchemaRegistryException(503, what + " failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new SchemaRegistryException(503, what + " took longer than " + timeout);
        }
    }

    long appliedOffset() {
        synchronized (appliedLock) {
            return appliedOffset;
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
