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

import java.io.IOException;
import java.nio.file.Path;
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

    public static final String LISTENER_HOST = "listener.host";
    public static final String LISTENER_HOST_DEFAULT = "0.0.0.0";
    public static final String LISTENER_PORT = "listener.port";
    public static final int LISTENER_PORT_DEFAULT = 8088;

    public static final String TOPIC = "topic";
    public static final String TOPIC_DEFAULT = Topics.RAW;

    /** Like Segment's 32 KB per event. */
    public static final String MAX_EVENT_BYTES = "max.event.bytes";
    public static final int MAX_EVENT_BYTES_DEFAULT = 32_768;
    /** Like Segment's 500 KB per batch request. */
    public static final String MAX_REQUEST_BYTES = "max.request.bytes";
    public static final int MAX_REQUEST_BYTES_DEFAULT = 512_000;
    public static final String QUEUE_CAPACITY = "queue.capacity";
    public static final int QUEUE_CAPACITY_DEFAULT = 10_000;
    public static final String POLL_MAX_RECORDS = "poll.max.records";
    public static final int POLL_MAX_RECORDS_DEFAULT = 500;
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
                "TCP port of the task's HTTP listener (POST /events). 0 picks a free port (tests only: clients cannot find it).",
                GROUP_LISTENER, ++order, Width.SHORT, "Listener port");

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
                "Largest accepted request body, in bytes, both as sent and after gzip decompression; a larger body is answered 413.",
                GROUP_LIMITS, ++order, Width.SHORT, "Max request bytes");
        def.define(QUEUE_CAPACITY, Type.INT, QUEUE_CAPACITY_DEFAULT, Range.between(1, 1_000_000), Importance.MEDIUM,
                "Events accepted over HTTP but not yet handed to Connect by poll(). When full, new events are answered "
                        + "503 with Retry-After instead of waiting.",
                GROUP_LIMITS, ++order, Width.SHORT, "Queue capacity");
        def.define(POLL_MAX_RECORDS, Type.INT, POLL_MAX_RECORDS_DEFAULT, Range.between(1, 100_000), Importance.LOW,
                "Most records one poll() returns to the Connect worker.",
                GROUP_LIMITS, ++order, Width.SHORT, "Poll max records");
        def.define(ACK_TIMEOUT_MS, Type.LONG, ACK_TIMEOUT_MS_DEFAULT, Range.between(100L, 600_000L), Importance.MEDIUM,
                "How long an HTTP request waits for Kafka to acknowledge its event before it is answered 503 failed "
                        + "(the client retries; the event may still be written, so retries rely on eventId de-duplication).",
                GROUP_LIMITS, ++order, Width.SHORT, "Ack timeout (ms)");
        return def;
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
