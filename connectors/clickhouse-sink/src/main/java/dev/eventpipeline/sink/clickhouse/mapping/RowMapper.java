package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventEnvelope;
import dev.eventpipeline.contract.EventHeaders;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.contract.Topics;
import dev.eventpipeline.sink.clickhouse.config.TopicTableMapping;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Maps one sink record (a schemaless event: JSON text as String or byte[], or a Map from
 * JsonConverter) to one {@code events_raw} row.
 *
 * <p>Envelope fields are read by their contract names ({@link EventEnvelope}); fields that are not
 * columns stay only in {@code raw}. {@code eventId} is required; {@code occurredAt} falls back to
 * the receipt time when absent; the other envelope fields default to the column's empty value
 * ({@code user_id} to NULL). A field of the wrong type, a value that is not JSON, or a time outside
 * ClickHouse's DateTime range is a {@link DataException} naming the field and the record.
 */
public final class RowMapper {
    public static final String EVENT_ID = "event_id";
    public static final String TYPE = "type";
    public static final String SCHEMA_VERSION = "schema_version";
    public static final String OCCURRED_AT = "occurred_at";
    public static final String USER_ID = "user_id";
    public static final String SESSION_ID = "session_id";
    public static final String STORE_ID = "store_id";
    public static final String PAYLOAD = "payload";
    public static final String RAW = "raw";
    public static final String STATUS = "status";
    public static final String RECEIVED_AT = "received_at";
    public static final String INGEST_TASK = "ingest_task";
    public static final String KAFKA_TOPIC = "kafka_topic";
    public static final String KAFKA_PARTITION = "kafka_partition";
    public static final String KAFKA_OFFSET = "kafka_offset";

    /** ClickHouse DateTime text, always UTC (the columns are DateTime('UTC')). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Last second DateTime holds on every release (UInt32 seconds, documented range up to 2105). */
    static final Instant MAX_DATE_TIME = Instant.parse("2105-12-31T23:59:59Z");
    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /** Status column by source topic: what the pipeline had decided about the event when it was read. */
    static final Map<String, String> STATUS_BY_TOPIC = Map.of(
            Topics.RAW, "accepted",
            Topics.VALIDATED, "validated",
            Topics.ENRICHED, "enriched",
            Topics.DLQ, "rejected");
    static final String DEFAULT_STATUS = "accepted";

    private final TopicTableMapping tables;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.get();

    public RowMapper(TopicTableMapping tables, Clock clock) {
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * @throws DataException    if the record cannot become a row (names field and record)
     * @throws ConnectException if the record's topic has no table in {@code topics.tables}
     */
    public Row map(SinkRecord record) {
        String table = tables.tableFor(record.topic()).orElseThrow(() -> new ConnectException(
                "no table for topic '" + record.topic() + "' (record " + coordinates(record)
                        + "): add '" + record.topic() + ":<table>' to topics.tables"));
        Source source = read(record);
        if (!(source.event() instanceof ObjectNode event)) {
            throw fail(record, "value must be a JSON object, got " + kind(source.event()));
        }
        Instant receivedAt = receivedAt(record);

        ObjectNode row = json.createObjectNode();
        row.put(EVENT_ID, requiredString(record, event, EventEnvelope.EVENT_ID));
        row.put(TYPE, optionalString(record, event, EventEnvelope.TYPE, ""));
        row.put(SCHEMA_VERSION, schemaVersion(record, event));
        row.put(OCCURRED_AT, dateTime(record, EventEnvelope.OCCURRED_AT, occurredAt(record, event, receivedAt)));
        row.put(USER_ID, optionalString(record, event, EventEnvelope.USER_ID, null));
        row.put(SESSION_ID, optionalString(record, event, EventEnvelope.SESSION_ID, ""));
        row.put(STORE_ID, optionalString(record, event, EventEnvelope.STORE_ID, ""));
        row.put(PAYLOAD, payload(event));
        row.put(RAW, source.text());
        row.put(STATUS, STATUS_BY_TOPIC.getOrDefault(record.topic(), DEFAULT_STATUS));
        row.put(RECEIVED_AT, dateTime(record, "header " + EventHeaders.RECEIVED_AT, receivedAt));
        row.put(INGEST_TASK, headerText(record, EventHeaders.INGEST_TASK));
        row.put(KAFKA_TOPIC, record.originalTopic());
        Integer partition = record.originalKafkaPartition();
        row.put(KAFKA_PARTITION, partition == null ? 0 : partition);
        row.put(KAFKA_OFFSET, record.originalKafkaOffset());
        try {
            return new Row(table, record.topic(), partition(record), record.kafkaOffset(), json.writeValueAsBytes(row));
        } catch (JsonProcessingException e) {
            throw new DataException("cannot serialise the row of record " + coordinates(record), e);
        }
    }

    /** The event as a tree plus its original text (kept verbatim in {@code raw}). */
    private Source read(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            throw fail(record, "value is null (a tombstone?); expected event JSON");
        }
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof byte[] bytes) {
            text = utf8(record, bytes);
        } else if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            text = utf8(record, bytes);
        } else if (value instanceof Map<?, ?> map) {
            try {
                JsonNode tree = json.valueToTree(map);
                return new Source(tree, json.writeValueAsString(tree));
            } catch (IllegalArgumentException | JsonProcessingException e) {
                throw fail(record, "map value cannot be written as JSON: " + e.getMessage());
            }
        } else {
            throw fail(record, "unsupported value type " + value.getClass().getName()
                    + "; use org.apache.kafka.connect.storage.StringConverter (JSON text) or a schemaless JsonConverter");
        }
        try {
            return new Source(json.readTree(text), text);
        } catch (JsonProcessingException e) {
            throw fail(record, "value is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private String utf8(SinkRecord record, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(record, "value is not UTF-8 text");
        }
    }

    private String requiredString(SinkRecord record, ObjectNode event, String field) {
        String value = optionalString(record, event, field, null);
        if (value == null) {
            throw fail(record, "field '" + field + "' is missing");
        }
        if (value.isBlank()) {
            throw fail(record, "field '" + field + "' is blank");
        }
        return value;
    }

    private String optionalString(SinkRecord record, ObjectNode event, String field, String fallback) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw fail(record, "field '" + field + "' must be a string, got " + kind(node));
        }
        return node.textValue();
    }

    private long schemaVersion(SinkRecord record, ObjectNode event) {
        JsonNode node = event.get(EventEnvelope.SCHEMA_VERSION);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong()
                || node.longValue() < 0 || node.longValue() > MAX_UINT32) {
            throw fail(record, "field '" + EventEnvelope.SCHEMA_VERSION + "' must be an integer 0.." + MAX_UINT32
                    + ", got " + abbreviate(node.toString()));
        }
        return node.longValue();
    }

    private Instant occurredAt(SinkRecord record, ObjectNode event, Instant receivedAt) {
        JsonNode node = event.get(EventEnvelope.OCCURRED_AT);
        if (node == null || node.isNull()) {
            return receivedAt;
        }
        if (!node.isTextual()) {
            throw fail(record, "field '" + EventEnvelope.OCCURRED_AT + "' must be an ISO-8601 timestamp string, got "
                    + kind(node));
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw fail(record, "field '" + EventEnvelope.OCCURRED_AT + "' must be an ISO-8601 timestamp such as "
                    + "2026-11-27T08:00:00.000Z, got \"" + abbreviate(node.textValue()) + "\"");
        }
    }

    private static String payload(ObjectNode event) {
        JsonNode node = event.get(EventEnvelope.PAYLOAD);
        return node == null ? "" : node.toString();
    }

    /** Header {@link EventHeaders#RECEIVED_AT} (epoch millis), else the record timestamp, else now. */
    private Instant receivedAt(SinkRecord record) {
        Header header = record.headers().lastWithName(EventHeaders.RECEIVED_AT);
        if (header != null && header.value() != null) {
            Object value = header.value();
            try {
                if (value instanceof Number n) {
                    return Instant.ofEpochMilli(n.longValue());
                }
                String text = value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
                return Instant.ofEpochMilli(Long.parseLong(text.trim()));
            } catch (NumberFormatException e) {
                // malformed header: fall through to the record timestamp
            }
        }
        Long timestamp = record.timestamp();
        if (timestamp != null && timestamp >= 0) {
            return Instant.ofEpochMilli(timestamp);
        }
        return clock.instant();
    }

    private static String headerText(SinkRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        if (header == null || header.value() == null) {
            return "";
        }
        Object value = header.value();
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
    }

    private String dateTime(SinkRecord record, String field, Instant instant) {
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(MAX_DATE_TIME)) {
            throw fail(record, "'" + field + "' is " + instant + ", outside ClickHouse DateTime's range "
                    + "1970-01-01T00:00:00Z.." + MAX_DATE_TIME);
        }
        return DATE_TIME.format(instant);
    }

    private static int partition(SinkRecord record) {
        return record.kafkaPartition() == null ? 0 : record.kafkaPartition();
    }

    static String coordinates(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    private static DataException fail(SinkRecord record, String reason) {
        return new DataException("record " + coordinates(record) + ": " + reason);
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private record Source(JsonNode event, String text) {
    }
}
