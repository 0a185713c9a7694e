package dev.eventpipeline.ingest.config;

import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import dev.eventpipeline.ingest.hooks.DurableWriteListener;
import dev.eventpipeline.ingest.hooks.PollBatchHook;
import dev.eventpipeline.ingest.hooks.InvalidReasonResolver;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of the event-source connector and its tasks: one {@link ConfigDef}, grouped as the
 * README reference shows it (Listener, Topics, Limits). Every key has a validator, so
 * {@code PUT /connector-plugins/EventSourceConnector/config/validate} reports each bad value.
 *
 * <p>The README's reference section is generated from {@link #configDef()}; rewrite it with
 * {@link #main(String[])} (command in the README) after changing a key.
 */
public final class EventSourceConfig extends AbstractConfig {

    public static final String GROUP_LISTENER = "Listener";
    public static final String GROUP_TOPICS = "Topics";
    public static final String GROUP_LIMITS = "Limits";
    public static final String GROUP_WEBSOCKET = "WebSocket";
    public static final String GROUP_SECURITY = "Security";
    public static final String GROUP_ACKS = "Acknowledgements";
    public static final String GROUP_HOOKS = "Hooks";

    public static final String LISTENER_HOST = "listener.host";
    public static final String LISTENER_HOST_DEFAULT = "0.0.0.0";
    public static final String LISTENER_PORT = "listener.port";
    public static final int LISTENER_PORT_DEFAULT = 8088;
    public static final String LISTENER_REQUEST_HEAD_TIMEOUT_MS = "listener.request.head.timeout.ms";
    /** Go's ReadHeaderTimeout is commonly a few seconds, Apache's mod_reqtimeout 20 s; a client on a bad mobile link gets 10 s. */
    public static final long LISTENER_REQUEST_HEAD_TIMEOUT_MS_DEFAULT = 10_000L;

    public static final String TOPIC = "topic";
    public static final String TOPIC_DEFAULT = Topics.RAW;

    /** Like Segment's 32 KB per event. */
    public static final String MAX_EVENT_BYTES = "max.event.bytes";
    public static final int MAX_EVENT_BYTES_DEFAULT = 32_768;
    /** Like Segment's 500 KB per batch request. */
    public static final String MAX_REQUEST_BYTES = "max.request.bytes";
    public static final int MAX_REQUEST_BYTES_DEFAULT = 512_000;
    public static final String MAX_BATCH_EVENTS = "max.batch.events";
    public static final int MAX_BATCH_EVENTS_DEFAULT = 1_000;
    public static final String QUEUE_CAPACITY = "queue.capacity";
    public static final int QUEUE_CAPACITY_DEFAULT = 20_000;
    public static final String POLL_MAX_RECORDS = "poll.max.records";
    public static final int POLL_MAX_RECORDS_DEFAULT = 2_000;

    public static final String WS_MAX_INFLIGHT = "ws.max.inflight.per.connection";
    public static final int WS_MAX_INFLIGHT_DEFAULT = 2_000;
    public static final String WS_IDLE_TIMEOUT_MS = "ws.idle.timeout.ms";
    public static final long WS_IDLE_TIMEOUT_MS_DEFAULT = 300_000L;
    public static final String WS_PING_INTERVAL_MS = "ws.ping.interval.ms";
    public static final long WS_PING_INTERVAL_MS_DEFAULT = 30_000L;

    public static final String AUTH_API_KEYS = "auth.api.keys";
    public static final String TLS_KEYSTORE_PATH = "tls.keystore.path";
    public static final String TLS_KEYSTORE_PASSWORD = "tls.keystore.password";
    public static final String TLS_KEYSTORE_TYPE = "tls.keystore.type";

    public static final String DLQ_TOPIC = "dlq.topic";
    public static final String INVALID_REASON_RESOLVER = "ack.invalid.reason.resolver.class";
    public static final String DURABLE_WRITE_LISTENER = "ack.durable.write.listener.class";
    public static final String POLL_BATCH_HOOK = "poll.batch.hook.class";
    public static final String ACK_TIMEOUT_MS = "ack.timeout.ms";
    public static final long ACK_TIMEOUT_MS_DEFAULT = 30_000L;

    /** Longest a task's listener host name may be (a DNS name is at most 253 characters). */
    private static final int MAX_HOST_LENGTH = 253;
    /** Kafka's own topic name limit. */
    private static final int MAX_TOPIC_LENGTH = 249;

    private static final ConfigDef CONFIG_DEF = build();

    public EventSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        crossCheck(getInt(MAX_EVENT_BYTES), getInt(MAX_REQUEST_BYTES)).ifPresent(message -> {
            throw new ConfigException(MAX_EVENT_BYTES, getInt(MAX_EVENT_BYTES), message);
        });
        batchCheck(getInt(MAX_BATCH_EVENTS), getInt(QUEUE_CAPACITY)).ifPresent(message -> {
            throw new ConfigException(MAX_BATCH_EVENTS, getInt(MAX_BATCH_EVENTS), message);
        });
        tlsCheck(getString(TLS_KEYSTORE_PATH), getPassword(TLS_KEYSTORE_PASSWORD)).ifPresent(message -> {
            throw new ConfigException(TLS_KEYSTORE_PASSWORD, "[hidden]", message);
        });
    }

    /** A whole batch (or frame) is admitted at once, so it must fit in the task's buffer. */
    public static Optional<String> batchCheck(int maxBatchEvents, int queueCapacity) {
        if (maxBatchEvents > queueCapacity) {
            return Optional.of(MAX_BATCH_EVENTS + " (" + maxBatchEvents + ") must not exceed " + QUEUE_CAPACITY
                    + " (" + queueCapacity + "): a batch is admitted whole into the task's buffer");
        }
        return Optional.empty();
    }

    public static Optional<String> tlsCheck(String keystorePath, Password password) {
        if (keystorePath != null && !keystorePath.isBlank() && (password == null || password.value().isEmpty())) {
            return Optional.of(TLS_KEYSTORE_PASSWORD + " is required when " + TLS_KEYSTORE_PATH + " is set");
        }
        return Optional.empty();
    }

    /**
     * Port of task {@code taskId}: {@code listener.port + taskId} (port-per-task, so tasks on one
     * worker never clash); 0 stays 0 (ephemeral, tests).
     */
    public static int portOfTask(int basePort, int taskId) {
        return basePort == 0 ? 0 : basePort + taskId;
    }

    public int maxBatchEvents() {
        return getInt(MAX_BATCH_EVENTS);
    }

    public int wsMaxInflight() {
        return getInt(WS_MAX_INFLIGHT);
    }

    public long wsIdleTimeoutMs() {
        return getLong(WS_IDLE_TIMEOUT_MS);
    }

    public long wsPingIntervalMs() {
        return getLong(WS_PING_INTERVAL_MS);
    }

    /** API keys clients must present; empty = authentication disabled. */
    public List<String> apiKeys() {
        Password keys = getPassword(AUTH_API_KEYS);
        if (keys == null || keys.value().isBlank()) {
            return List.of();
        }
        return Arrays.stream(keys.value().split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    public String tlsKeystorePath() {
        return getString(TLS_KEYSTORE_PATH);
    }

    public String tlsKeystorePassword() {
        Password p = getPassword(TLS_KEYSTORE_PASSWORD);
        return p == null ? "" : p.value();
    }

    public String tlsKeystoreType() {
        return getString(TLS_KEYSTORE_TYPE);
    }

    public boolean tlsEnabled() {
        return tlsKeystorePath() != null && !tlsKeystorePath().isBlank();
    }

    public String dlqTopic() {
        return getString(DLQ_TOPIC);
    }

    public InvalidReasonResolver invalidReasonResolver() {
        return getConfiguredInstance(INVALID_REASON_RESOLVER, InvalidReasonResolver.class);
    }

    public DurableWriteListener durableWriteListener() {
        return getConfiguredInstance(DURABLE_WRITE_LISTENER, DurableWriteListener.class);
    }

    public PollBatchHook pollBatchHook() {
        return getConfiguredInstance(POLL_BATCH_HOOK, PollBatchHook.class);
    }

    /** The definition of every key; also what {@code Connector.config()} returns. */
    public static ConfigDef configDef() {
        return CONFIG_DEF;
    }

    /**
     * Checks between keys that a single-key validator cannot see.
     *
     * @return the problem with {@value #MAX_EVENT_BYTES}, if any
     */
    public static Optional<String> crossCheck(int maxEventBytes, int maxRequestBytes) {
        if (maxEventBytes > maxRequestBytes) {
            return Optional.of(MAX_EVENT_BYTES + " (" + maxEventBytes + ") must not exceed "
                    + MAX_REQUEST_BYTES + " (" + maxRequestBytes + "): an event always travels in one request");
        }
        return Optional.empty();
    }

    public String listenerHost() {
        return getString(LISTENER_HOST);
    }

    /** Configured port; 0 asks the operating system for a free port (tests). */
    public int listenerPort() {
        return getInt(LISTENER_PORT);
    }

    /** 0: off. */
    public long listenerRequestHeadTimeoutMs() {
        return getLong(LISTENER_REQUEST_HEAD_TIMEOUT_MS);
    }

    public String topic() {
        return getString(TOPIC);
    }

    public int maxEventBytes() {
        return getInt(MAX_EVENT_BYTES);
    }

    public int maxRequestBytes() {
        return getInt(MAX_REQUEST_BYTES);
    }

    public int queueCapacity() {
        return getInt(QUEUE_CAPACITY);
    }

    public int pollMaxRecords() {
        return getInt(POLL_MAX_RECORDS);
    }

    public long ackTimeoutMs() {
        return getLong(ACK_TIMEOUT_MS);
    }

    private static ConfigDef build() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(LISTENER_HOST, Type.STRING, LISTENER_HOST_DEFAULT, new HostValidator(), Importance.HIGH,
                "Interface the task's HTTP listener binds to: an IP address or host name; 0.0.0.0 listens on all interfaces.",
                GROUP_LISTENER, ++order, Width.MEDIUM, "Listener host");
        def.define(LISTENER_PORT, Type.INT, LISTENER_PORT_DEFAULT, Range.between(0, 65535), Importance.HIGH,
                "TCP port of task 0's listener (WebSocket /events/stream, POST /events, POST /events/batch, GET /events/stats). "
                        + "Task i listens on listener.port + i, so tasks.max tasks on one worker never clash; put a load "
                        + "balancer in front of the range. 0 picks a free port per task (tests only: clients cannot find it).",
                GROUP_LISTENER, ++order, Width.SHORT, "Listener port");
        def.define(LISTENER_REQUEST_HEAD_TIMEOUT_MS, Type.LONG, LISTENER_REQUEST_HEAD_TIMEOUT_MS_DEFAULT,
                Range.between(0L, 3_600_000L), Importance.LOW,
                "Longest a new connection may take to send its first request head (request line and headers; for "
                        + "WebSocket, the upgrade request). A slower connection is closed without an answer and counted in "
                        + "slowClientsClosed (GET /events/stats): a slow-loris client that sends a byte now and then resets "
                        + "the idle timeout and would otherwise hold the connection for ever. Later requests on a "
                        + "keep-alive connection are not timed (load balancers keep such connections idle). 0 turns it off.",
                GROUP_LISTENER, ++order, Width.SHORT, "Request head timeout (ms)");

        order = 0;
        def.define(TOPIC, Type.STRING, TOPIC_DEFAULT, new TopicValidator(), Importance.HIGH,
                "Kafka topic the accepted events are written to, before any transform of the connector routes them elsewhere.",
                GROUP_TOPICS, ++order, Width.LONG, "Topic");

        order = 0;
        def.define(MAX_EVENT_BYTES, Type.INT, MAX_EVENT_BYTES_DEFAULT, Range.between(256, 1_048_576), Importance.MEDIUM,
                "Largest accepted event, in bytes of (decompressed) JSON; a larger event is answered 413. "
                        + "Must not exceed " + MAX_REQUEST_BYTES + ".",
                GROUP_LIMITS, ++order, Width.SHORT, "Max event bytes");
        def.define(MAX_REQUEST_BYTES, Type.INT, MAX_REQUEST_BYTES_DEFAULT, Range.between(256, 16_777_216), Importance.MEDIUM,
                "Largest accepted request body or WebSocket message, in bytes, both as sent and after gzip decompression; "
                        + "a larger body is answered 413, a larger WebSocket message closes the connection with 1009.",
                GROUP_LIMITS, ++order, Width.SHORT, "Max request bytes");
        def.define(MAX_BATCH_EVENTS, Type.INT, MAX_BATCH_EVENTS_DEFAULT, Range.between(1, 100_000), Importance.MEDIUM,
                "Most events in one POST /events/batch request or one WebSocket frame; more is answered 413 as a whole. "
                        + "Must not exceed " + QUEUE_CAPACITY + ".",
                GROUP_LIMITS, ++order, Width.SHORT, "Max batch events");
        def.define(QUEUE_CAPACITY, Type.INT, QUEUE_CAPACITY_DEFAULT, Range.between(1, 1_000_000), Importance.MEDIUM,
                "Bound on the task's unanswered events (waiting for poll() or for Kafka's acknowledgement); this is what "
                        + "keeps memory bounded. A request or frame is admitted whole or not at all: when it does not fit, "
                        + "HTTP answers 429 with Retry-After and WebSocket stops reading from the socket until room frees up.",
                GROUP_LIMITS, ++order, Width.SHORT, "Queue capacity");
        def.define(POLL_MAX_RECORDS, Type.INT, POLL_MAX_RECORDS_DEFAULT, Range.between(1, 100_000), Importance.LOW,
                "Most records one poll() returns to the Connect worker.",
                GROUP_LIMITS, ++order, Width.SHORT, "Poll max records");
        def.define(ACK_TIMEOUT_MS, Type.LONG, ACK_TIMEOUT_MS_DEFAULT, Range.between(100L, 600_000L), Importance.MEDIUM,
                "How long an event waits for Kafka to acknowledge it before it is answered failed "
                        + "(the client retries; the event may still be written, so retries rely on eventId de-duplication).",
                GROUP_LIMITS, ++order, Width.SHORT, "Ack timeout (ms)");

        order = 0;
        def.define(WS_MAX_INFLIGHT, Type.INT, WS_MAX_INFLIGHT_DEFAULT, Range.between(1, 1_000_000), Importance.MEDIUM,
                "Most unacknowledged events per WebSocket connection; at the limit the task stops reading that socket "
                        + "(the client's send blocks) until acks bring it below. A single frame may exceed it when nothing "
                        + "else is in flight.",
                GROUP_WEBSOCKET, ++order, Width.SHORT, "Max in-flight per connection");
        def.define(WS_IDLE_TIMEOUT_MS, Type.LONG, WS_IDLE_TIMEOUT_MS_DEFAULT, Range.between(1_000L, 86_400_000L), Importance.LOW,
                "A WebSocket connection that sends no frame for this long is closed with 1001 (idle).",
                GROUP_WEBSOCKET, ++order, Width.SHORT, "Idle timeout (ms)");
        def.define(WS_PING_INTERVAL_MS, Type.LONG, WS_PING_INTERVAL_MS_DEFAULT, Range.between(0L, 3_600_000L), Importance.LOW,
                "Interval of server pings on each WebSocket connection (keeps proxies and NAT from dropping it); a client "
                        + "that does not pong for two intervals while the server is reading is closed with 1001. 0 disables.",
                GROUP_WEBSOCKET, ++order, Width.SHORT, "Ping interval (ms)");

        order = 0;
        def.define(AUTH_API_KEYS, Type.PASSWORD, "", new ApiKeysValidator(), Importance.HIGH,
                "Comma-separated API keys accepted from clients (header X-API-Key or Authorization: Bearer; WebSocket also "
                        + "subprotocol apikey.<key> or query parameter api_key). Empty disables authentication (not for "
                        + "production). Stored as a Connect password: hidden in REST answers and logs; use a config provider.",
                GROUP_SECURITY, ++order, Width.LONG, "API keys");
        def.define(TLS_KEYSTORE_PATH, Type.STRING, "", new ConfigDef.NonNullValidator(), Importance.MEDIUM,
                "Key store with the listener's TLS certificate; when set, the listener speaks HTTPS/WSS only. Empty = plain "
                        + "HTTP (terminate TLS at the load balancer).",
                GROUP_SECURITY, ++order, Width.LONG, "TLS key store path");
        def.define(TLS_KEYSTORE_PASSWORD, Type.PASSWORD, "", new ConfigDef.NonNullValidator(), Importance.MEDIUM,
                "Password of the TLS key store (required with " + TLS_KEYSTORE_PATH + ").",
                GROUP_SECURITY, ++order, Width.MEDIUM, "TLS key store password");
        def.define(TLS_KEYSTORE_TYPE, Type.STRING, "PKCS12", ConfigDef.ValidString.in("PKCS12", "JKS"), Importance.LOW,
                "Type of the TLS key store.",
                GROUP_SECURITY, ++order, Width.SHORT, "TLS key store type");

        order = 0;
        def.define(DLQ_TOPIC, Type.STRING, Topics.DLQ, new TopicValidator(), Importance.MEDIUM,
                "Dead-letter topic of the validation transform: an event Kafka reports written there is answered invalid "
                        + "(with the resolver's reason), not accepted.",
                GROUP_ACKS, ++order, Width.LONG, "DLQ topic");
        def.define(INVALID_REASON_RESOLVER, Type.CLASS, InvalidReasonResolver.RoutedToDlq.class,
                new ImplementationOf(InvalidReasonResolver.class), Importance.LOW,
                "Class implementing dev.eventpipeline.ingest.hooks.InvalidReasonResolver: gives the reason sent with an "
                        + "invalid (DLQ-routed) event. The default says \"routed to <dlq topic>\".",
                GROUP_ACKS, ++order, Width.LONG, "Invalid reason resolver");
        def.define(DURABLE_WRITE_LISTENER, Type.CLASS, DurableWriteListener.None.class,
                new ImplementationOf(DurableWriteListener.class), Importance.LOW,
                "Class implementing dev.eventpipeline.ingest.hooks.DurableWriteListener: told after each record is durably "
                        + "written, before its client is answered (the de-duplication transform confirms its mark there).",
                GROUP_ACKS, ++order, Width.LONG, "Durable write listener");

        order = 0;
        def.define(POLL_BATCH_HOOK, Type.CLASS, PollBatchHook.None.class,
                new ImplementationOf(PollBatchHook.class), Importance.LOW,
                "Class implementing dev.eventpipeline.ingest.hooks.PollBatchHook: sees each group of events as it is admitted "
                        + "and each poll batch before the transforms. dev.eventpipeline.ingest.hooks.DedupPreMarker marks events in "
                        + "Redis at admission, on its own thread (pipelined), for the DeduplicateEvent transform configured on this "
                        + "connector (same Redis, keys and TTLs), and puts the marks on the records in poll.",
                GROUP_HOOKS, ++order, Width.LONG, "Poll batch hook");
        return def;
    }

    /** Comma-separated keys, each at least 16 characters and without spaces (never echoed in messages). */
    static final class ApiKeysValidator implements ConfigDef.Validator {
        static final int MIN_KEY_LENGTH = 16;

        @Override
        public void ensureValid(String name, Object value) {
            Password keys = (Password) value;
            if (keys == null || keys.value().isBlank()) {
                return;
            }
            int i = 0;
            for (String key : keys.value().split(",")) {
                i++;
                String k = key.trim();
                if (k.length() < MIN_KEY_LENGTH || !k.matches("[\\x21-\\x7E]+")) {
                    throw new ConfigException(name, "[hidden]", "key #" + i + " must be at least " + MIN_KEY_LENGTH
                            + " printable ASCII characters without spaces or commas");
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated keys of 16+ printable characters, or empty";
        }
    }

    /** A class that implements {@code type} and has a public no-argument constructor. */
    static final class ImplementationOf implements ConfigDef.Validator {
        private final Class<?> type;

        ImplementationOf(Class<?> type) {
            this.type = type;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof Class<?> c) || !type.isAssignableFrom(c)) {
                throw new ConfigException(name, value, "must be a class implementing " + type.getName());
            }
            try {
                c.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new ConfigException(name, value, "must have a public no-argument constructor");
            }
        }

        @Override
        public String toString() {
            return "implementation of " + type.getSimpleName();
        }
    }

    /** A non-blank host name or address literal without spaces or a scheme. */
    static final class HostValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String host = (String) value;
            if (host == null || host.isBlank()) {
                throw new ConfigException(name, host, "must be a host name or IP address, e.g. 0.0.0.0 or 127.0.0.1");
            }
            if (host.length() > MAX_HOST_LENGTH || !host.matches("[A-Za-z0-9._:\\-\\[\\]%]+")) {
                throw new ConfigException(name, host,
                        "must be a bare host name or IP address (no scheme, port or path), e.g. 0.0.0.0 or 127.0.0.1");
            }
        }

        @Override
        public String toString() {
            return "host name or IP address";
        }
    }

    /** Kafka's legal topic names: [a-zA-Z0-9._-], 1..249 characters, not "." or "..". */
    static final class TopicValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String topic = (String) value;
            if (topic == null || topic.isEmpty()) {
                throw new ConfigException(name, topic, "must name a Kafka topic, e.g. " + Topics.RAW);
            }
            if (topic.length() > MAX_TOPIC_LENGTH || topic.equals(".") || topic.equals("..")
                    || !topic.matches("[a-zA-Z0-9._\\-]+")) {
                throw new ConfigException(name, topic, "is not a legal Kafka topic name: use 1 to "
                        + MAX_TOPIC_LENGTH + " characters of [a-zA-Z0-9._-], not '.' or '..'");
            }
        }

        @Override
        public String toString() {
            return "Kafka topic name";
        }
    }

    /**
     * Rewrites the generated configuration reference of the README:
     * {@code EventSourceConfig [path/to/README.md]} (default {@code README.md} in the working directory).
     */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        ConfigReference.write(readme, CONFIG_DEF);
        System.out.println("wrote configuration reference to " + readme.toAbsolutePath());
    }
}
