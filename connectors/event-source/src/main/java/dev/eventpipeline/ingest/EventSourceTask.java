package dev.eventpipeline.ingest;

import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.ack.PendingAcks;
import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.ingest.http.EventsHandler;
import dev.eventpipeline.ingest.http.HttpListener;
import dev.eventpipeline.ingest.record.EventRecordFactory;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * One ingestion task: an embedded Jetty listener accepts events, each valid event becomes a
 * {@link SourceRecord} in a bounded queue that {@link #poll()} drains, and the client is answered
 * only from {@link #commitRecord(SourceRecord, RecordMetadata)}, i.e. once Kafka has the record (or
 * Connect dropped it), never from the memory queue.
 *
 * <p>Threads: Jetty pool threads call {@link #submit}; Connect's task thread calls {@link #poll()};
 * the producer's I/O thread (or, with exactly-once support, the committer) calls
 * {@link #commitRecord}; the herder calls {@link #stop()}; a timer thread fails requests that wait
 * longer than {@code ack.timeout.ms}.
 */
public class EventSourceTask extends SourceTask implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(EventSourceTask.class);

    /** Task config key set by {@link EventSourceConnector#taskConfigs}; not part of the user config. */
    public static final String TASK_ID = "task.id";
    /** Connect passes the connector's name through the connector config into the task config. */
    public static final String CONNECTOR_NAME = "name";
    static final String DEFAULT_CONNECTOR_NAME = "event-source";

    /** Longest {@link #poll()} blocks on an empty queue, so the worker loop neither spins nor stalls stop(). */
    static final long POLL_WAIT_MS = 100;

    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean accepting; // guarded by lifecycle

    private EventSourceConfig config;
    private BlockingQueue<SourceRecord> queue;
    private PendingAcks<SourceRecord> acks;
    private EventRecordFactory records;
    private HttpListener listener;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new EventSourceConfig(props);
        String connectorName = props.getOrDefault(CONNECTOR_NAME, DEFAULT_CONNECTOR_NAME);
        String ingestTask = connectorName + "-" + props.getOrDefault(TASK_ID, "0");
        String listenerName = config.listenerHost() + ":" + config.listenerPort();

        queue = new ArrayBlockingQueue<>(config.queueCapacity());
        // An expired record still in the queue is withdrawn: its client was told to retry.
        acks = new PendingAcks<>(config.ackTimeoutMs(), queue::remove, ingestTask);
        records = new EventRecordFactory(config.topic(), listenerName, ingestTask);
        EventsHandler handler = new EventsHandler(this, config.maxRequestBytes(), config.maxEventBytes(),
                System::currentTimeMillis);
        // Jetty must not close a connection whose request still waits for Kafka: we answer first.
        long idleTimeoutMs = config.ackTimeoutMs() + 10_000L;
        listener = new HttpListener(ingestTask, config.listenerHost(), config.listenerPort(), idleTimeoutMs, handler);
        try {
            listener.start();
        } catch (Exception e) {
            acks.close();
            throw new ConnectException("Cannot start the HTTP listener on " + listenerName + ": " + e.getMessage(), e);
        }
        setAccepting(true);
        log.info("{} listening for events on http://{}:{}{} -> topic {}", ingestTask, config.listenerHost(),
                listener.port(), EventsHandler.PATH, config.topic());
    }

    /** Port the listener is bound to (the ephemeral one when {@code listener.port=0}); -1 when not running. */
    public int boundPort() {
        return listener == null ? -1 : listener.port();
    }

    /** Called by the transports (Jetty threads); never blocks. */
    @Override
    public Admission submit(ReceivedEvent event, Consumer<Outcome> onOutcome) {
        lifecycle.readLock().lock();
        try {
            if (!accepting) {
                return Admission.STOPPING;
            }
            SourceRecord record = records.create(event);
            acks.register(record, onOutcome);
            if (!queue.offer(record)) {
                acks.cancel(record);
                return Admission.QUEUE_FULL;
            }
            return Admission.QUEUED;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        BlockingQueue<SourceRecord> q = queue;
        if (q == null) {
            return null;
        }
        SourceRecord first = q.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(config.pollMaxRecords(), q.size() + 1));
        batch.add(first);
        q.drainTo(batch, config.pollMaxRecords() - 1);
        return batch;
    }

    /**
     * Answers the client of {@code record}. Connect calls this after the producer acknowledged the
     * write ({@code metadata} = where it landed, after transforms) or when the record was dropped
     * ({@code metadata == null}).
     *
     * <p>Verified in connect-runtime 4.3.1: {@code AbstractWorkerSourceTask.sendRecords()} keeps the
     * object {@code poll()} returned as {@code preTransformRecord}, applies the transformation chain
     * to get a new {@code record}, and reports back with the pre-transform object:
     * {@code recordSent(preTransformRecord, producerRecord, recordMetadata)} and
     * {@code recordDropped(preTransformRecord)}, which {@code WorkerSourceTask} turns into
     * {@code commitTaskRecord(sourceRecord, recordMetadata)} / {@code commitTaskRecord(record, null)}
     * ({@code AbstractWorkerSourceTask.commitTaskRecord} calls {@code task.commitRecord(record, metadata)}).
     * So the identity lookup below finds the original record even when SMTs replaced it.
     *
     * <p>{@code metadata == null} also happens with {@code errors.tolerance=all} when an SMT or
     * converter threw, or when the producer failed the send ({@code WorkerSourceTask.producerSendFailed}
     * calls {@code commitTaskRecord(preTransformRecord, null)}): these cannot be told apart from a
     * filtered record here, which is why the shipped config keeps {@code errors.tolerance=none}.
     */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        PendingAcks<SourceRecord> a = acks;
        if (a == null) {
            return;
        }
        Outcome outcome = metadata == null
                ? new Outcome.Duplicate()
                : new Outcome.Accepted(metadata.topic(), metadata.partition(), metadata.offset());
        if (!a.complete(record, outcome)) {
            log.debug("Nobody waits for the record any more (timed out or answered at stop): {}", record.sourceOffset());
        }
    }

    /**
     * Stops accepting, answers every waiting client 503 {@code failed} ("connector stopping; retry"),
     * then stops the listener. A record already handed to Connect may still be written after its
     * client was told to retry; the retry is then a duplicate that de-duplication removes (at-least-once).
     */
    @Override
    public void stop() {
        setAccepting(false);
        PendingAcks<SourceRecord> a = acks;
        if (a != null) {
            int failed = a.failAll(EventsHandler.REASON_STOPPING);
            if (failed > 0) {
                log.info("Task stopping: answered {} waiting request(s) with 503 failed", failed);
            }
        }
        if (queue != null) {
            queue.clear();
        }
        if (listener != null) {
            try {
                listener.stop();
            } catch (Exception e) {
                log.warn("Error stopping the HTTP listener", e);
            }
        }
        if (a != null) {
            a.close();
        }
    }

    /** Records accepted over HTTP and not yet returned by {@link #poll()}. */
    int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** Clients waiting for an outcome. */
    int pending() {
        return acks == null ? 0 : acks.size();
    }

    private void setAccepting(boolean value) {
        lifecycle.writeLock().lock();
        try {
            accepting = value;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
