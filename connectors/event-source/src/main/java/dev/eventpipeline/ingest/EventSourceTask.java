package dev.eventpipeline.ingest;

import dev.eventpipeline.ingest.ack.Admission;
import dev.eventpipeline.ingest.ack.EventSink;
import dev.eventpipeline.ingest.ack.InFlight;
import dev.eventpipeline.ingest.ack.Outcome;
import dev.eventpipeline.ingest.ack.TrackedRecord;
import dev.eventpipeline.ingest.auth.ApiKeyAuthenticator;
import dev.eventpipeline.ingest.config.EventSourceConfig;
import dev.eventpipeline.ingest.hooks.DurableWriteListener;
import dev.eventpipeline.ingest.hooks.PollBatchHook;
import dev.eventpipeline.ingest.hooks.InvalidReasonResolver;
import dev.eventpipeline.ingest.http.EventsHandler;
import dev.eventpipeline.ingest.http.HttpListener;
import dev.eventpipeline.ingest.protocol.EventParser;
import dev.eventpipeline.ingest.protocol.EventResult;
import dev.eventpipeline.ingest.record.EventRecordFactory;
import dev.eventpipeline.ingest.record.ReceivedEvent;
import dev.eventpipeline.ingest.stats.IngestMeters;
import dev.eventpipeline.ingest.stats.IngestStats;
import dev.eventpipeline.ingest.stats.TaskMetrics;
import dev.eventpipeline.ingest.ws.StreamEndpoint;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One ingestion task: an embedded Jetty listener (WebSocket {@code /events/stream}, HTTP
 * {@code /events}, {@code /events/batch}, {@code /events/stats}) accepts events; each valid event
 * becomes a {@link TrackedRecord} in the queue {@link #poll()} drains, and its client is answered only
 * from {@link #commitRecord(SourceRecord, RecordMetadata)}, i.e. once Kafka has the record (or Connect
 * dropped it), never from the memory queue.
 *
 * <p>Threads: Jetty threads call {@link #submit} (and with it the poll batch hook's {@code admitted});
 * Connect's task thread calls {@link #poll()} and, at the end, {@link #stop()}; the producer's I/O thread
 * calls {@link #commitRecord}; a housekeeping thread fails events that wait longer than
 * {@code ack.timeout.ms} and drives WebSocket pings. A hook may run threads of its own (the
 * de-duplication pre-mark's marking thread), closed at {@link #stop()}.
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
    static final long SWEEP_INTERVAL_MS = 100;

    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean accepting; // guarded by lifecycle

    private EventSourceConfig config;
    private String ingestTask;
    private LinkedBlockingQueue<TrackedRecord> queue;
    private InFlight inFlight;
    private long ackTimeoutNanos;
    private EventRecordFactory records;
    private HttpListener listener;
    private ScheduledExecutorService housekeeping;
    private IngestStats stats;
    private TaskMetrics metrics;
    private String dlqTopic;
    private InvalidReasonResolver reasonResolver;
    private DurableWriteListener durableWrites;
    private PollBatchHook batchHook;
    private io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new EventSourceConfig(props);
        String connectorName = props.getOrDefault(CONNECTOR_NAME, DEFAULT_CONNECTOR_NAME);
        int taskId = Integer.parseInt(props.getOrDefault(TASK_ID, "0"));
        ingestTask = connectorName + "-" + taskId;
        int port = EventSourceConfig.portOfTask(config.listenerPort(), taskId);
        String listenerName = config.listenerHost() + ":" + port;

        dlqTopic = config.dlqTopic();
        reasonResolver = config.invalidReasonResolver();
        reasonResolver.configure(props);
        durableWrites = config.durableWriteListener();
        durableWrites.configure(props);
        batchHook = config.pollBatchHook();
        batchHook.configure(props);

        queue = new LinkedBlockingQueue<>();
        inFlight = new InFlight(config.queueCapacity(), config.ackTimeoutMs());
        ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.ackTimeoutMs());
        records = new EventRecordFactory(config.topic(), listenerName, ingestTask);
        stats = new IngestStats();
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, ingestTask + "-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::expireOverdue, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);

        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(config.apiKeys());
        if (!auth.enabled()) {
            log.warn("{}: {} is empty: clients are not authenticated", ingestTask, EventSourceConfig.AUTH_API_KEYS);
        }
        EventParser parser = new EventParser(config.maxEventBytes(), config.maxBatchEvents());
        EventsHandler handler = new EventsHandler(this, parser, auth, stats, ingestTask,
                config.maxRequestBytes(), config.maxEventBytes(), System::currentTimeMillis);
        meters = IngestMeters.bind(stats, connectorName, taskId);
        handler.metrics(meters::scrape);
        StreamEndpoint.Settings ws = new StreamEndpoint.Settings(config.wsMaxInflight(), config.wsIdleTimeoutMs(),
                config.wsPingIntervalMs(), config.maxRequestBytes());
        listener = new HttpListener(ingestTask, config.listenerHost(), port, config.ackTimeoutMs() + 10_000L, handler,
                new StreamEndpoint.Factory(this, parser, auth, stats, housekeeping, ws), ws, config);
        try {
            listener.start();
        } catch (Exception e) {
            housekeeping.shutdownNow();
            throw new ConnectException("Cannot start the listener on " + listenerName + ": " + e.getMessage(), e);
        }
        stats.gauges(queue::size, inFlight::unanswered, listener::openHttpConnections);
        metrics = TaskMetrics.register(contextMetrics(), stats);
        setAccepting(true);
        log.info("{} listening on {}://{}:{} (WebSocket /events/stream, POST /events, POST /events/batch, GET /events/stats, GET /events/metrics) "
                        + "-> topic {}{}", ingestTask, config.tlsEnabled() ? "https" : "http", config.listenerHost(),
                listener.port(), config.topic(), auth.enabled() ? ", API keys required" : "");
    }

    private org.apache.kafka.common.metrics.PluginMetrics contextMetrics() {
        try {
            return context == null ? null : context.pluginMetrics();
        } catch (RuntimeException | LinkageError e) {
            // Workers older than Kafka 4.1 have no plugin metrics (KIP-877): stats stay on the listener only.
            log.info("No plugin metrics from this worker ({}); metrics only on GET /events/stats", e.toString());
            return null;
        }
    }

    /** Port the listener is bound to (the ephemeral one when {@code listener.port=0}); -1 when not running. */
    public int boundPort() {
        return listener == null ? -1 : listener.port();
    }

    public IngestStats stats() {
        return stats;
    }

    /** Called by the transports (Jetty threads); never blocks. */
    @Override
    public Admission submit(List<ReceivedEvent> events, OutcomeCallback onOutcome) {
        if (events.isEmpty()) {
            return Admission.QUEUED;
        }
        lifecycle.readLock().lock();
        try {
            if (!accepting) {
                return Admission.STOPPING;
            }
            if (!inFlight.tryReserve(events.size())) {
                return Admission.QUEUE_FULL;
            }
            long now = System.nanoTime();
            List<TrackedRecord> created = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                final int index = i;
                created.add(records.create(events.get(i), outcome -> answered(index, outcome, onOutcome, now),
                        now, ackTimeoutNanos));
            }
            startAdmissionWork(created);
            for (TrackedRecord r : created) {
                inFlight.track(r);
                queue.add(r);
            }
            return Admission.QUEUED;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Before the records are queued, so the hook's handle is on them when poll() takes them. */
    private void startAdmissionWork(List<TrackedRecord> created) {
        try {
            batchHook.admitted(created);
        } catch (RuntimeException e) {
            log.warn("Poll batch hook failed at admission; the events go on unchanged", e);
        }
    }

    @Override
    public void whenRoomFor(int events, Runnable retry) {
        InFlight f = inFlight;
        if (f != null) {
            f.whenRoomFor(events, retry);
        }
    }

    private void answered(int index, Outcome outcome, OutcomeCallback onOutcome, long admittedNanos) {
        inFlight.answered();
        if (!(outcome instanceof Outcome.Failed)) {
            stats.recordLatencyNanos(System.nanoTime() - admittedNanos);
        }
        try {
            onOutcome.onOutcome(index, outcome);
        } catch (RuntimeException e) {
            log.warn("Answering a client failed", e);
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        LinkedBlockingQueue<TrackedRecord> q = queue;
        if (q == null) {
            return null;
        }
        TrackedRecord first = q.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(config.pollMaxRecords(), q.size() + 1));
        batch.add(first);
        q.drainTo(batch, config.pollMaxRecords() - 1);
        try {
            batchHook.beforeSend(batch);
        } catch (RuntimeException e) {
            log.warn("Poll batch hook failed; the batch goes on unchanged", e);
        }
        return batch;
    }

    /**
     * Answers the client of {@code record}. Connect calls this after the producer acknowledged the
     * write ({@code metadata} = where it landed, after transforms) or when the record was dropped
     * ({@code metadata == null}). Status mapping:
     * <ul>
     *   <li>{@code metadata == null}: a transform filtered it: {@code duplicate};</li>
     *   <li>{@code metadata.topic()} is {@code dlq.topic}: the validation transform routed it to the
     *       dead-letter topic: {@code invalid}, reason from the {@link InvalidReasonResolver} hook;</li>
     *   <li>otherwise {@code accepted}.</li>
     * </ul>
     * Written records (accepted and invalid) are first reported to the {@link DurableWriteListener} hook.
     *
     * <p>Verified in connect-runtime 4.3.1: {@code AbstractWorkerSourceTask.sendRecords()} reports back
     * with the object {@code poll()} returned ({@code recordSent(preTransformRecord, …)},
     * {@code recordDropped(preTransformRecord)}), so {@code record} is our {@link TrackedRecord} even
     * when SMTs replaced it. {@code metadata == null} also happens with {@code errors.tolerance=all} when
     * an SMT threw or the send failed; that is why the shipped config keeps {@code errors.tolerance=none}.
     */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (!(record instanceof TrackedRecord tracked)) {
            return;
        }
        Outcome outcome;
        if (metadata == null) {
            outcome = new Outcome.Duplicate();
        } else {
            notifyDurable(record, metadata);
            if (metadata.topic().equals(dlqTopic)) {
                outcome = new Outcome.Invalid(reasonOf(record, metadata), metadata.topic(), metadata.partition(), metadata.offset());
            } else {
                outcome = new Outcome.Accepted(metadata.topic(), metadata.partition(), metadata.offset());
            }
        }
        if (!tracked.complete(outcome)) {
            log.debug("Nobody waits for the record any more (timed out or answered at stop): {}", record.sourceOffset());
        }
    }

    private void notifyDurable(SourceRecord record, RecordMetadata metadata) {
        try {
            durableWrites.onDurablyWritten(record, metadata);
        } catch (RuntimeException e) {
            log.warn("Durable-write listener failed for a record in {}-{}@{}", metadata.topic(), metadata.partition(),
                    metadata.offset(), e);
        }
    }

    private String reasonOf(SourceRecord record, RecordMetadata metadata) {
        try {
            String reason = reasonResolver.reasonFor(record, metadata);
            return reason == null ? "routed to " + metadata.topic() : reason;
        } catch (RuntimeException e) {
            log.warn("Invalid-reason resolver failed", e);
            return "routed to " + metadata.topic();
        }
    }

    private void expireOverdue() {
        try {
            int expired = inFlight.expireOverdue(System.nanoTime(), r -> queue.remove(r));
            if (expired > 0) {
                log.warn("{}: {} event(s) not acknowledged by Kafka within {} ms; answered failed", ingestTask, expired,
                        config.ackTimeoutMs());
            }
        } catch (RuntimeException e) {
            log.warn("Ack timeout sweep failed", e);
        }
    }

    /**
     * Connect calls this on the task thread after its send loop ended and the producer was flushed, so
     * every record {@code poll()} returned has normally been answered through {@link #commitRecord}
     * already. Then: stop accepting; answer every event still waiting ({@code failed}, "connector
     * stopping; retry": the ones still in our queue were never handed to Kafka); close WebSocket
     * connections with 1012 after their last acks are flushed; stop the listener.
     */
    @Override
    public void stop() {
        setAccepting(false);
        if (queue != null) {
            queue.clear();
        }
        if (inFlight != null) {
            int failed = inFlight.failAll(EventResult.REASON_STOPPING);
            if (failed > 0) {
                log.info("{} stopping: answered {} waiting event(s) failed (retry)", ingestTask, failed);
            }
        }
        if (listener != null) {
            try {
                listener.stop();
            } catch (Exception e) {
                log.warn("Error stopping the listener", e);
            }
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (meters != null) {
            meters.close();
        }
        if (durableWrites != null) {
            try {
                durableWrites.close();
            } catch (RuntimeException e) {
                log.warn("Durable-write listener failed to close", e);
            }
        }
        if (batchHook != null) {
            try {
                batchHook.close();
            } catch (RuntimeException e) {
                log.warn("Poll batch hook failed to close", e);
            }
        }
        if (reasonResolver != null) {
            try {
                reasonResolver.close();
            } catch (RuntimeException e) {
                log.warn("Invalid-reason resolver failed to close", e);
            }
        }
    }

    /** Records accepted and not yet returned by {@link #poll()}. */
    int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** Events waiting for an outcome. */
    int pending() {
        return inFlight == null ? 0 : inFlight.unanswered();
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
