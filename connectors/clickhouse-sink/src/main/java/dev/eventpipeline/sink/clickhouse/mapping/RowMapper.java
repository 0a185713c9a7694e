package dev.eventpipeline.sink.clickhouse.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.eventpipeline.sink.clickhouse.schema.TableColumns;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps one sink record (a schemaless event: JSON text as String or byte[], or a Map from
 * JsonConverter) to one row of its topic's table, column by column, driven by the table's columns
 * as ClickHouse reports them ({@link TableColumns}). A column is filled from, in this order:
 * <ol>
 *   <li>a built-in column: the envelope ({@code event_id}, {@code type}, ...), the record's Kafka
 *       metadata and headers ({@code received_at}, {@code kafka_offset}, ...), and for dead letters the
 *       {@code __connect.errors.*} headers ({@code error_reason}, {@code error_stage}, ...);</li>
 *   <li>a configured path ({@code fields.paths}: {@code enrichment.user.lastSeen:user_last_seen});</li>
 *   <li>a top-level field with the column's name, or its camelCase form ({@code cart_value} ← {@code cartValue});</li>
 *   <li>the unknown-fields column ({@code unknown.fields.column}, default {@code extra}): every field
 *       no other column took, as JSON text (when {@code unknown.fields=keep}).</li>
 * </ol>
 * Columns with no value are left out of the row, so their DEFAULT applies; a null goes into
 * Nullable columns only. Every value is converted by the column type ({@link ColumnType}); a value
 * that does not fit is a {@link DataException} naming the record, the column and the value.
 *
 * <p>{@code eventId} is required except in tables with an {@code original_payload} column (the
 * dead-letter table), which take any value, JSON or not, and keep it verbatim.
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
    // dead-letter columns
    public static final String ORIGINAL_PAYLOAD = "original_payload";
    public static final String ERROR_REASON = "error_reason";
    public static final String ERROR_STAGE = "error_stage";
    public static final String ERROR_CLASS = "error_class";
    public static final String ERROR_EXCEPTION_CLASS = "error_exception_class";
    public static final String ERROR_EXCEPTION_MESSAGE = "error_exception_message";
    public static final String ERROR_STACKTRACE = "error_stacktrace";
    public static final String ERROR_CONNECTOR = "error_connector";
    public static final String ERROR_TASK = "error_task";
    public static final String ERROR_SOURCE_TOPIC = "error_source_topic";
    public static final String ERROR_SOURCE_PARTITION = "error_source_partition";
    public static final String ERROR_SOURCE_OFFSET = "error_source_offset";
    public static final String ERROR_JSON_POINTERS = "error_json_pointers";
    public static final String ERROR_SCHEMA_SUBJECT = "error_schema_subject";
    public static final String ERROR_SCHEMA_VERSION = "error_schema_version";
    public static final String HEADERS = "headers";

    /** Headers written by the source-side ValidateEvent SMT next to Connect's own error headers. */
    public static final String HEADER_REASON = EventHeaders.ERROR_PREFIX + "reason";
    public static final String HEADER_JSON_POINTERS = EventHeaders.ERROR_PREFIX + "json.pointers";
    public static final String HEADER_SCHEMA_SUBJECT = EventHeaders.ERROR_PREFIX + "schema.subject";
    public static final String HEADER_SCHEMA_VERSION = EventHeaders.ERROR_PREFIX + "schema.version";

    /** Envelope fields: columns of their own, never "unknown". */
    static final Set<String> ENVELOPE_FIELDS = Set.of(EventEnvelope.EVENT_ID, EventEnvelope.TYPE,
            EventEnvelope.SCHEMA_VERSION, EventEnvelope.OCCURRED_AT, EventEnvelope.USER_ID,
            EventEnvelope.SESSION_ID, EventEnvelope.STORE_ID, EventEnvelope.PAYLOAD);

    /** ClickHouse DateTime text, always UTC (the columns are DateTime('UTC')). */
    static final DateTimeFormatter DATE_TIME = ColumnType.DATE_TIME_TEXT;
    /** Last second DateTime holds on every release (UInt32 seconds, documented range up to 2105). */
    static final Instant MAX_DATE_TIME = ColumnType.MAX_DATE_TIME;
    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /** Status column by source topic: what the pipeline had decided about the event when it was read. */
    static final Map<String, String> STATUS_BY_TOPIC = Map.of(
            Topics.RAW, "accepted",
            Topics.VALIDATED, "validated",
            Topics.ENRICHED, "enriched",
            Topics.DLQ, "rejected");
    static final String DEFAULT_STATUS = "accepted";

    /** The columns of V001's events_raw: used by {@link #map(SinkRecord)} when no table was read. */
    public static final TableColumns EVENTS_RAW = TableColumns.parse("events_raw", String.join("\n",
            "event_id\tString\t", "type\tString\t", "schema_version\tUInt32\t", "occurred_at\tDateTime('UTC')\t",
            "user_id\tNullable(String)\t", "session_id\tString\t", "store_id\tString\t", "payload\tString\t",
            "raw\tString\t", "status\tString\t", "received_at\tDateTime('UTC')\t", "ingest_task\tString\t",
            "kafka_topic\tString\t", "kafka_partition\tUInt32\t", "kafka_offset\tUInt64\t",
            "inserted_at\tDateTime('UTC')\tDEFAULT"));

    public enum UnknownFields { KEEP, IGNORE }

    /** How rows are encoded for ClickHouse. */
    public enum InsertFormat {
        /** Fixed-width numbers and length-prefixed strings: ClickHouse parses it at a fraction of JSON's cost. */
        ROW_BINARY("RowBinary"),
        JSON_EACH_ROW("JSONEachRow");

        private final String clickhouseName;

        InsertFormat(String clickhouseName) {
            this.clickhouseName = clickhouseName;
        }

        public String clickhouseName() {
            return clickhouseName;
        }

        public static InsertFormat of(String clickhouseName) {
            for (InsertFormat f : values()) {
                if (f.clickhouseName.equalsIgnoreCase(clickhouseName)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown insert format " + clickhouseName);
        }
    }

    private final TopicTableMapping tables;
    private final Clock clock;
    private final FieldPaths paths;
    private final UnknownFields unknownFields;
    private final String unknownColumn;
    private final InsertFormat format;
    private final RowBinaryBuffer binary = new RowBinaryBuffer();
    private final ObjectMapper json = JsonMapper.get();
    private final Map<String, Plan> plans = new java.util.HashMap<>();

    public RowMapper(TopicTableMapping tables, Clock clock) {
        this(tables, clock, FieldPaths.none(), UnknownFields.KEEP, "extra");
    }

    public RowMapper(TopicTableMapping tables, Clock clock, FieldPaths paths, UnknownFields unknownFields,
                     String unknownColumn) {
        this(tables, clock, paths, unknownFields, unknownColumn, InsertFormat.JSON_EACH_ROW);
    }

    /**
     * @param format {@link InsertFormat#ROW_BINARY} encodes rows of tables whose mapped columns all have a
     *               RowBinary encoding ({@link ColumnType#binary()}); other tables' rows go as JSONEachRow
     */
    public RowMapper(TopicTableMapping tables, Clock clock, FieldPaths paths, UnknownFields unknownFields,
                     String unknownColumn, InsertFormat format) {
        this.format = format;
        this.tables = tables;
        this.clock = clock;
        this.paths = paths;
        this.unknownFields = unknownFields;
        this.unknownColumn = unknownColumn;
    }

    /** The table a record goes to. */
    public String tableFor(SinkRecord record) {
        String topic = record.topic();
        if (topic == lastTopic) { // the consumer hands out the same topic String for a partition's records
            return lastTable;
        }
        String table = tables.tableFor(topic).orElseThrow(() -> new ConnectException(
                "no table for topic '" + topic + "' (record " + coordinates(record)
                        + "): add '" + topic + ":<table>' to topics.tables"));
        lastTopic = topic;
        lastTable = table;
        return table;
    }

    private String lastTopic;
    private String lastTable;

    /** Maps to V001's {@code events_raw} columns. */
    public Row map(SinkRecord record) {
        return map(record, EVENTS_RAW);
    }

    /**
     * @throws DataException    if the record cannot become a row (names record, field/column and value)
     * @throws ConnectException if the record's topic has no table in {@code topics.tables}
     */
    public Row map(SinkRecord record, TableColumns columns) {
        String table = tableFor(record);
        Plan plan = plans.get(columns.table());
        if (plan == null || plan.columns != columns) {
            plan = plan(columns);
            plans.put(columns.table(), plan);
        }
        if (plan.stream != null) {
            Row row = streamedRow(table, record, plan);
            if (row != null) {
                return row;
            }
        }
        Source source = read(record, plan.lenient);
        ObjectNode event;
        if (source.event() instanceof ObjectNode object) {
            event = object;
        } else if (plan.lenient) {
            event = json.createObjectNode();
        } else {
            throw fail(record, "value must be a JSON object, got " + kind(source.event()));
        }
        Context ctx = new Context(record, event, source.text(), plan.lenient);
        if (plan.binary) {
            return binaryRow(table, record, plan, ctx, event);
        }
        ObjectNode row = json.createObjectNode();
        for (Step step : plan.steps) {
            JsonNode converted = convert(record, step, step.value(ctx));
            if (converted != null) {
                row.set(step.column, converted);
            }
        }
        if (plan.unknownType != null) {
            ObjectNode rest = remainder(event, plan);
            if (!rest.isEmpty()) {
                row.set(unknownColumn, plan.unknownType.convert(TextNode.valueOf(rest.toString())));
            }
        }
        try {
            return new Row(table, record.topic(), partition(record), record.kafkaOffset(), json.writeValueAsBytes(row),
                    record);
        } catch (JsonProcessingException e) {
            throw new DataException("cannot serialise the row of record " + coordinates(record), e);
        }
    }

    /**
     * The hot path for JSON text (String or byte[] values) into a RowBinary table (an unknown-fields column,
     * if any, of type String): the event is stream-parsed ({@link StreamingEventReader}) keeping only the
     * fields the columns take (configured paths as a sparse tree), {@code raw} is copied as received and
     * {@code payload} re-serialised token by token, the unknown fields written as JSON text in the same pass
     * (the same bytes as the tree path's remainder); then the same steps convert and encode every column. Null when the record needs the tree path: other value types,
     * non-ASCII bytes (strictly decoded there), anything the streaming read refuses, or a record that fails
     * a check (the tree path then fails it with the very same message).
     */
    private Row streamedRow(String table, SinkRecord record, Plan plan) {
        Object value = record.value();
        StreamingEventReader reader = plan.stream;
        Context ctx;
        if (value instanceof byte[] bytes) {
            if (!StreamingEventReader.isAscii(bytes) || !reader.read(bytes)) {
                return null;
            }
            ctx = new Context(record, null, null, false);
            ctx.rawBytes = bytes;
        } else if (value instanceof String text) {
            if (!reader.read(text)) {
                return null;
            }
            ctx = new Context(record, null, text, false);
        } else {
            return null;
        }
        ctx.streamed = reader;
        try {
            Row row = binaryRow(table, record, plan, ctx, null);
            streamedRows++;
            return row;
        } catch (DataException e) {
            return null;
        }
    }

    /**
     * The RowBinary form of {@link #map}: the same values, encoded as they are converted. {@code event}: the
     * tree path's event; null on the streaming path (then {@code ctx.streamed} has the fields).
     */
    private Row binaryRow(String table, SinkRecord record, Plan plan, Context ctx, ObjectNode event) {
        binary.reset();
        long present = 0;
        List<Step> steps = plan.steps;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.direct != null && writeDirect(step, ctx)) {
                present |= 1L << i;
                continue;
            }
            if (step.shortcut != null && ctx.streamed != null && writeBuiltin(step, ctx)) {
                present |= 1L << i;
                continue;
            }
            JsonNode converted = convert(record, step, step.value(ctx));
            if (converted != null) {
                step.type.writeBinary(converted, binary);
                present |= 1L << i;
            }
        }
        if (plan.unknownType != null) {
            if (ctx.streamed != null) { // the streaming read wrote the remainder's JSON text (a String column)
                if (ctx.streamed.hasRest()) {
                    if (plan.unknownType.nullable()) {
                        binary.byteValue(0);
                    }
                    binary.utf8(ctx.streamed.restBytes(), 0, ctx.streamed.restLength());
                    present |= 1L << steps.size();
                }
            } else {
                ObjectNode rest = remainder(event, plan);
                if (!rest.isEmpty()) {
                    plan.unknownType.writeBinary(plan.unknownType.convert(TextNode.valueOf(rest.toString())), binary);
                    present |= 1L << steps.size();
                }
            }
        }
        if (plan != lastPlan || present != lastPresent) { // consecutive rows have the same columns: skip the map
            lastColumns = plan.columnsPresent(present);
            lastPlan = plan;
            lastPresent = present;
        }
        return new Row(table, record.topic(), partition(record), record.kafkaOffset(), binary.toByteArray(),
                lastColumns, record);
    }

    /**
     * Writes {@code raw} / {@code payload} into a String or Nullable(String) column straight from the bytes
     * received / re-serialised, when the streaming path has them; false when the step goes the normal way.
     */
    private boolean writeDirect(Step step, Context ctx) {
        byte[] bytes;
        int length;
        if (step.direct.equals(RAW) && ctx.rawBytes != null) {
            bytes = ctx.rawBytes;
            length = bytes.length;
        } else if (step.direct.equals(PAYLOAD) && ctx.streamed != null && ctx.streamed.hasText()) {
            bytes = ctx.streamed.textBytes();
            length = ctx.streamed.textLength();
        } else {
            return false;
        }
        if (step.type.nullable()) {
            binary.byteValue(0);
        }
        binary.utf8(bytes, 0, length);
        return true;
    }

    /**
     * The streaming path's shortcut for the envelope and Kafka columns in their usual types: the value straight
     * into the row, without a node per column and its conversion (two thirds of the columns of
     * {@code events_raw}). False, with nothing written, whenever the general step could decide otherwise (a
     * missing or null field, another JSON type, another column type, a value out of range): the step then runs
     * as usual and produces the same bytes or the same error.
     */
    private boolean writeBuiltin(Step step, Context ctx) {
        ColumnType type = step.type;
        SinkRecord record = ctx.record;
        if (step.shortcutField != null && step.slot < 0) {
            return false; // the reader does not keep the field (not expected: envelope fields are always wanted)
        }
        JsonNode node = step.slot < 0 ? null : ctx.streamed.value(step.slot);
        return switch (step.shortcut) {
            case EVENT -> node != null && node.isTextual() && !node.textValue().isBlank()
                    && type.writeString(node.textValue(), binary);
            case ENVELOPE_TEXT, OPTIONAL_TEXT -> {
                String value = node == null ? (step.shortcut == Shortcut.OPTIONAL_TEXT ? null : "")
                        : node.isTextual() ? node.textValue() : null;
                yield value != null && type.writeString(value, binary);
            }
            case VERSION -> {
                long version = node == null ? 0 : node.isInt() || node.isLong() ? node.longValue() : -1;
                yield version >= 0 && version <= MAX_UINT32 && type.writeInteger(version, binary);
            }
            case OCCURRED -> {
                long second = node != null && node.isTextual() ? ColumnType.fastUtcEpochSecond(node.textValue()) : -1;
                yield second >= 0 && type.writeDateTime(second, binary);
            }
            case RECEIVED -> {
                Instant at = ctx.receivedAt();
                yield !at.isBefore(Instant.EPOCH) && !at.isAfter(MAX_DATE_TIME) && type.writeDateTime(at.getEpochSecond(), binary);
            }
            case TOPIC_STATUS -> type.writeString(STATUS_BY_TOPIC.getOrDefault(record.topic(), DEFAULT_STATUS), binary);
            case INGEST -> type.writeString(headerText(record, EventHeaders.INGEST_TASK), binary);
            case TOPIC -> type.writeString(record.originalTopic(), binary);
            case PARTITION -> type.writeInteger(record.originalKafkaPartition() == null ? 0
                    : record.originalKafkaPartition(), binary);
            case OFFSET -> type.writeInteger(record.originalKafkaOffset(), binary);
        };
    }

    /** The built-in columns {@link #writeBuiltin} writes, decided once per step instead of a String switch per row. */
    private enum Shortcut {
        /** ENVELOPE_TEXT: a missing field is ""; OPTIONAL_TEXT ({@code user_id}): a missing field is NULL. */
        EVENT, ENVELOPE_TEXT, OPTIONAL_TEXT, VERSION, OCCURRED, RECEIVED, TOPIC_STATUS, INGEST, TOPIC, PARTITION, OFFSET;

        /** Null for a column without a shortcut. */
        static Shortcut of(String column) {
            return switch (column) {
                case EVENT_ID -> EVENT;
                case TYPE, SESSION_ID, STORE_ID -> ENVELOPE_TEXT;
                case USER_ID -> OPTIONAL_TEXT;
                case SCHEMA_VERSION -> VERSION;
                case OCCURRED_AT -> OCCURRED;
                case RECEIVED_AT -> RECEIVED;
                case STATUS -> TOPIC_STATUS;
                case INGEST_TASK -> INGEST;
                case KAFKA_TOPIC -> TOPIC;
                case KAFKA_PARTITION -> PARTITION;
                case KAFKA_OFFSET -> OFFSET;
                default -> null;
            };
        }

        /** The envelope field a shortcut column reads; null for the others. */
        static String envelopeField(String column) {
            return switch (column) {
                case EVENT_ID -> EventEnvelope.EVENT_ID;
                case SCHEMA_VERSION -> EventEnvelope.SCHEMA_VERSION;
                case OCCURRED_AT -> EventEnvelope.OCCURRED_AT;
                case TYPE -> EventEnvelope.TYPE;
                case SESSION_ID -> EventEnvelope.SESSION_ID;
                case STORE_ID -> EventEnvelope.STORE_ID;
                case USER_ID -> EventEnvelope.USER_ID;
                default -> null;
            };
        }
    }

    private JsonNode convert(SinkRecord record, Step step, JsonNode value) {
        try {
            return step.type.convert(value);
        } catch (IllegalArgumentException e) {
            throw fail(record, "column '" + step.column + "' (" + step.type + ")"
                    + (step.path == null ? "" : " from field '" + String.join(".", step.path) + "'")
                    + ": " + e.getMessage());
        }
    }

    // ---- plan: how each column of a table is filled, computed once per column list ----

    private Plan plan(TableColumns columns) {
        boolean lenient = columns.has(ORIGINAL_PAYLOAD);
        List<Step> steps = new ArrayList<>();
        Set<String> consumedTop = new HashSet<>(ENVELOPE_FIELDS);
        List<List<String>> consumedPaths = new ArrayList<>();
        ColumnType unknownType = null;
        for (TableColumns.Column column : columns.columns()) {
            String name = column.name();
            if (name.equals(unknownColumn) && unknownFields == UnknownFields.KEEP && !isBuiltin(name)) {
                unknownType = column.type();
                continue;
            }
            if (isBuiltin(name)) {
                steps.add(new Step(name, column.type(), null, null));
                continue;
            }
            List<String> path = paths.pathFor(name);
            if (path != null) {
                steps.add(new Step(name, column.type(), path, null));
                consumedPaths.add(path);
                continue;
            }
            String camel = camel(name);
            steps.add(new Step(name, column.type(), null, camel.equals(name) ? List.of(name) : List.of(name, camel)));
            consumedTop.add(name);
            consumedTop.add(camel);
        }
        boolean binaryPlan = format == InsertFormat.ROW_BINARY && steps.size() < 63
                && steps.stream().allMatch(s -> s.type.binary()) && (unknownType == null || unknownType.binary());
        StreamingEventReader stream = binaryPlan && !lenient && (unknownType == null || unknownType.isString())
                ? streamingReader(steps, unknownType == null ? null : consumedTop) : null;
        if (stream != null) {
            steps.forEach(step -> step.resolve(stream));
        }
        return new Plan(columns, List.copyOf(steps), lenient, consumedTop, consumedPaths, unknownType, unknownColumn,
                binaryPlan, new java.util.concurrent.ConcurrentHashMap<>(), stream);
    }

    /**
     * The streaming reader of a plan: keeps the envelope fields the built-in columns read, the heads of
     * configured paths and the top-level fields of other columns; {@code payload} as text only, unless a
     * path or column also needs it as a value.
     */
    private StreamingEventReader streamingReader(List<Step> steps, Set<String> consumedTop) {
        Set<String> wanted = new HashSet<>(ENVELOPE_FIELDS);
        wanted.remove(EventEnvelope.PAYLOAD);
        List<List<String>> remainderPaths = new ArrayList<>();
        boolean payloadColumn = false;
        boolean payloadValue = false;
        for (Step step : steps) {
            if (step.path != null && consumedTop != null && !consumedTop.contains(step.path.get(0))) {
                remainderPaths.add(step.path); // read from a sparse tree, left out of the remainder
            } else if (step.path != null) {
                wanted.add(step.path.get(0));
                payloadValue |= step.path.get(0).equals(EventEnvelope.PAYLOAD);
            } else if (step.topLevel != null) {
                wanted.addAll(step.topLevel);
                payloadValue |= step.topLevel.contains(EventEnvelope.PAYLOAD);
            } else if (step.column.equals(PAYLOAD)) {
                payloadColumn = true;
            }
        }
        if (payloadValue) {
            wanted.add(EventEnvelope.PAYLOAD);
        }
        return new StreamingEventReader(json, wanted, payloadColumn && !payloadValue ? EventEnvelope.PAYLOAD : null,
                consumedTop, remainderPaths);
    }

    private static boolean isBuiltin(String column) {
        return switch (column) {
            case EVENT_ID, TYPE, SCHEMA_VERSION, OCCURRED_AT, USER_ID, SESSION_ID, STORE_ID, PAYLOAD, RAW, STATUS,
                 RECEIVED_AT, INGEST_TASK, KAFKA_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET, ORIGINAL_PAYLOAD, ERROR_REASON,
                 ERROR_STAGE, ERROR_CLASS, ERROR_EXCEPTION_CLASS, ERROR_EXCEPTION_MESSAGE, ERROR_STACKTRACE,
                 ERROR_CONNECTOR, ERROR_TASK, ERROR_SOURCE_TOPIC, ERROR_SOURCE_PARTITION, ERROR_SOURCE_OFFSET,
                 ERROR_JSON_POINTERS, ERROR_SCHEMA_SUBJECT, ERROR_SCHEMA_VERSION, HEADERS -> true;
            default -> false;
        };
    }

    static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private final class Step {
        final String column;
        final ColumnType type;
        final List<String> path;
        final List<String> topLevel;
        /** RAW or PAYLOAD: a built-in String column the streaming path writes from bytes; else null. */
        final String direct;
        /** How the streaming path writes this built-in column directly; null: the general step only. */
        final Shortcut shortcut;
        /** The envelope field of a {@link Shortcut}. */
        final String shortcutField;
        /**
         * Streaming path: the reader's slot of {@link #shortcutField}, of each {@link #topLevel} field, of the
         * {@link #path}'s head; -1 where the field is not a slot (a path through the remainder's sparse tree).
         */
        int slot = -1;
        int[] topSlots;
        int headSlot = -1;

        Step(String column, ColumnType type, List<String> path, List<String> topLevel) {
            this.column = column;
            this.type = type;
            this.path = path;
            this.topLevel = topLevel;
            boolean builtin = path == null && topLevel == null; // no path, no same-name field
            this.shortcut = builtin ? Shortcut.of(column) : null;
            this.shortcutField = builtin ? Shortcut.envelopeField(column) : null;
            this.direct = builtin && type.isString() && type.binary()
                    && (column.equals(RAW) || column.equals(PAYLOAD)) ? column : null;
        }

        void resolve(StreamingEventReader reader) {
            slot = shortcutField == null ? -1 : reader.slot(shortcutField);
            headSlot = path == null ? -1 : reader.slot(path.get(0));
            topSlots = topLevel == null ? null : topLevel.stream().mapToInt(reader::slot).toArray();
        }

        JsonNode value(Context ctx) {
            StreamingEventReader streamed = ctx.streamed;
            if (path != null) {
                JsonNode node;
                int from;
                if (streamed != null && headSlot >= 0) {
                    node = streamed.value(headSlot);
                    from = 1;
                } else {
                    node = ctx.event();
                    from = 0;
                }
                for (int i = from; i < path.size(); i++) {
                    node = node == null || !node.isObject() ? null : node.get(path.get(i));
                }
                return node;
            }
            if (topLevel != null) {
                for (int i = 0; i < topLevel.size(); i++) {
                    JsonNode node = streamed != null && topSlots[i] >= 0 ? streamed.value(topSlots[i])
                            : ctx.event().get(topLevel.get(i));
                    if (node != null) {
                        return node;
                    }
                }
                return null;
            }
            return builtin(column, ctx);
        }
    }

    private record Plan(TableColumns columns, List<Step> steps, boolean lenient, Set<String> consumedTop, List<List<String>> consumedPaths,
                        ColumnType unknownType, String unknownColumn, boolean binary, Map<Long, List<String>> columnLists,
                        StreamingEventReader stream) {

        /** The column list of a RowBinary row (bit i: step i had a value; the last bit: the unknown-fields column). */
        List<String> columnsPresent(long present) {
            return columnLists.computeIfAbsent(present, p -> {
                List<String> names = new ArrayList<>(steps.size() + 1);
                for (int i = 0; i < steps.size(); i++) {
                    if ((p & (1L << i)) != 0) {
                        names.add(steps.get(i).column);
                    }
                }
                if ((p & (1L << steps.size())) != 0) {
                    names.add(unknownColumn);
                }
                return List.copyOf(names);
            });
        }
    }

    private final class Context {
        final SinkRecord record;
        /** The tree path's event; null on the streaming path (see {@link #event()}). */
        private final ObjectNode event;
        private String text;
        final boolean lenient;
        private Instant receivedAt;
        /** The value as received when it was ASCII bytes (text is then made only if a column needs it). */
        byte[] rawBytes;
        /** The streaming read, when the streaming path maps the record. */
        StreamingEventReader streamed;

        Context(SinkRecord record, ObjectNode event, String text, boolean lenient) {
            this.record = record;
            this.event = event;
            this.text = text;
            this.lenient = lenient;
        }

        /** The event's fields: the tree, or the streaming read's (built from its slots when first asked for). */
        ObjectNode event() {
            return streamed != null ? streamed.event() : event;
        }

        String text() {
            if (text == null && rawBytes != null) {
                text = new String(rawBytes, StandardCharsets.US_ASCII);
            }
            return text;
        }

        String payload() {
            if (streamed != null && streamed.hasText()) {
                return streamed.text();
            }
            return RowMapper.payload(event());
        }

        Instant receivedAt() {
            if (receivedAt == null) {
                receivedAt = RowMapper.this.receivedAt(record);
            }
            return receivedAt;
        }
    }

    private JsonNode builtin(String column, Context c) {
        SinkRecord record = c.record;
        ObjectNode event = c.event();
        return switch (column) {
            case EVENT_ID -> TextNode.valueOf(c.lenient
                    ? lenientString(event, EventEnvelope.EVENT_ID)
                    : requiredString(record, event, EventEnvelope.EVENT_ID));
            case TYPE -> text(c.lenient ? lenientString(event, EventEnvelope.TYPE)
                    : optionalString(record, event, EventEnvelope.TYPE, ""));
            case SCHEMA_VERSION -> c.lenient ? LongNode.valueOf(0) : LongNode.valueOf(schemaVersion(record, event));
            case OCCURRED_AT -> {
                JsonNode given = event.get(EventEnvelope.OCCURRED_AT);
                String fast = given != null && given.isTextual() ? ColumnType.fastUtc(given.textValue()) : null;
                yield TextNode.valueOf(fast != null ? fast : dateTime(record, EventEnvelope.OCCURRED_AT,
                        c.lenient ? lenientOccurredAt(event, c.receivedAt()) : occurredAt(record, event, c.receivedAt())));
            }
            case USER_ID -> text(c.lenient ? emptyToNull(lenientString(event, EventEnvelope.USER_ID))
                    : optionalString(record, event, EventEnvelope.USER_ID, null));
            case SESSION_ID -> text(c.lenient ? lenientString(event, EventEnvelope.SESSION_ID)
                    : optionalString(record, event, EventEnvelope.SESSION_ID, ""));
            case STORE_ID -> text(c.lenient ? lenientString(event, EventEnvelope.STORE_ID)
                    : optionalString(record, event, EventEnvelope.STORE_ID, ""));
            case PAYLOAD -> TextNode.valueOf(c.payload());
            case RAW, ORIGINAL_PAYLOAD -> TextNode.valueOf(c.text());
            case STATUS -> TextNode.valueOf(STATUS_BY_TOPIC.getOrDefault(record.topic(), DEFAULT_STATUS));
            case RECEIVED_AT -> TextNode.valueOf(dateTime(record, "header " + EventHeaders.RECEIVED_AT, c.receivedAt()));
            case INGEST_TASK -> TextNode.valueOf(headerText(record, EventHeaders.INGEST_TASK));
            case KAFKA_TOPIC -> TextNode.valueOf(record.originalTopic());
            case KAFKA_PARTITION -> LongNode.valueOf(record.originalKafkaPartition() == null ? 0 : record.originalKafkaPartition());
            case KAFKA_OFFSET -> LongNode.valueOf(record.originalKafkaOffset());
            case ERROR_REASON -> {
                String reason = headerText(record, HEADER_REASON);
                yield TextNode.valueOf(reason.isEmpty() ? headerText(record, EventHeaders.ERROR_EXCEPTION_MESSAGE) : reason);
            }
            case ERROR_STAGE -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_STAGE));
            case ERROR_CLASS -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_CLASS));
            case ERROR_EXCEPTION_CLASS -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_EXCEPTION_CLASS));
            case ERROR_EXCEPTION_MESSAGE -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_EXCEPTION_MESSAGE));
            case ERROR_STACKTRACE -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_EXCEPTION_STACKTRACE));
            case ERROR_CONNECTOR -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_CONNECTOR));
            case ERROR_TASK -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_TASK));
            case ERROR_SOURCE_TOPIC -> TextNode.valueOf(headerText(record, EventHeaders.ERROR_TOPIC));
            case ERROR_SOURCE_PARTITION -> headerNumber(record, EventHeaders.ERROR_PARTITION);
            case ERROR_SOURCE_OFFSET -> headerNumber(record, EventHeaders.ERROR_OFFSET);
            case ERROR_JSON_POINTERS -> TextNode.valueOf(headerText(record, HEADER_JSON_POINTERS));
            case ERROR_SCHEMA_SUBJECT -> TextNode.valueOf(headerText(record, HEADER_SCHEMA_SUBJECT));
            case ERROR_SCHEMA_VERSION -> headerNumber(record, HEADER_SCHEMA_VERSION);
            case HEADERS -> TextNode.valueOf(headersJson(record));
            default -> throw new IllegalStateException("not a built-in column: " + column);
        };
    }

    private static JsonNode text(String value) {
        return value == null ? NullNode.getInstance() : TextNode.valueOf(value);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** Any JSON field as text, '' if absent: the dead-letter table never rejects a record for its content. */
    private static String lenientString(ObjectNode event, String field) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private static Instant lenientOccurredAt(ObjectNode event, Instant fallback) {
        JsonNode node = event.get(EventEnvelope.OCCURRED_AT);
        if (node != null && node.isTextual()) {
            try {
                Instant at = OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                if (!at.isBefore(Instant.EPOCH) && !at.isAfter(MAX_DATE_TIME)) {
                    return at;
                }
            } catch (DateTimeParseException ignored) {
                // fall back to the receipt time
            }
        }
        return fallback;
    }

    /** A numeric header as a number; null (column DEFAULT/NULL) when absent or not a number. */
    private static JsonNode headerNumber(SinkRecord record, String name) {
        String text = headerText(record, name).trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return LongNode.valueOf(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String headersJson(SinkRecord record) {
        ObjectNode out = json.createObjectNode();
        for (Header header : record.headers()) {
            if (!header.key().equals(EventHeaders.ERROR_EXCEPTION_STACKTRACE)) {
                out.put(header.key(), header.value() == null ? null : headerValue(header.value()));
            }
        }
        return out.toString();
    }

    /** The event without the fields other columns took (envelope, same-name columns, configured paths). */
    private ObjectNode remainder(ObjectNode event, Plan plan) {
        ObjectNode rest = event.deepCopy();
        rest.remove(plan.consumedTop);
        for (List<String> path : plan.consumedPaths) {
            removePath(rest, path, 0);
        }
        return rest;
    }

    private static void removePath(ObjectNode node, List<String> path, int index) {
        String key = path.get(index);
        if (index == path.size() - 1) {
            node.remove(key);
            return;
        }
        JsonNode child = node.get(key);
        if (child instanceof ObjectNode object) {
            removePath(object, path, index + 1);
            if (object.isEmpty()) {
                node.remove(key);
            }
        }
    }

    /** The event as a tree plus its original text (kept verbatim in {@code raw}). */
    private Source read(SinkRecord record, boolean lenient) {
        Object value = record.value();
        if (value == null) {
            if (lenient) {
                return new Source(NullNode.getInstance(), "");
            }
            throw fail(record, "value is null (a tombstone?); expected event JSON");
        }
        String text;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof byte[] bytes) {
            text = utf8(record, bytes, lenient);
        } else if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            text = utf8(record, bytes, lenient);
        } else if (value instanceof Map<?, ?> map) {
            try {
                JsonNode tree = json.valueToTree(map);
                return new Source(tree, json.writeValueAsString(tree));
            } catch (IllegalArgumentException | JsonProcessingException e) {
                throw fail(record, "map value cannot be written as JSON: " + e.getMessage());
            }
        } else if (lenient) {
            text = String.valueOf(value);
        } else {
            throw fail(record, "unsupported value type " + value.getClass().getName()
                    + "; use org.apache.kafka.connect.storage.StringConverter (JSON text) or a schemaless JsonConverter");
        }
        try {
            return new Source(json.readTree(text), text);
        } catch (JsonProcessingException e) {
            if (lenient) {
                return new Source(TextNode.valueOf(text), text);
            }
            throw fail(record, "value is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private String utf8(SinkRecord record, byte[] bytes, boolean lenient) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            if (lenient) {
                // not text: keep it readable and lossless as base64
                return "base64:" + java.util.Base64.getEncoder().encodeToString(bytes);
            }
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
            throw fail(record, "field '" + field + "' must be a string, got " + kind(node) + " "
                    + abbreviate(node.toString()));
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
            throw fail(record, "field '" + EventEnvelope.SCHEMA_VERSION + "' (column schema_version) must be an integer 0.."
                    + MAX_UINT32 + ", got " + abbreviate(node.toString()));
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
                    + kind(node) + " " + abbreviate(node.toString()));
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
                long digits = value instanceof byte[] b ? digits(b) : -1;
                if (digits >= 0) { // the usual form: no String to parse
                    return Instant.ofEpochMilli(digits);
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

    /** ASCII decimal digits only (1 to 18 of them) as a number; -1 for anything else. */
    static long digits(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > 18) {
            return -1;
        }
        long value = 0;
        for (byte b : bytes) {
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static String headerText(SinkRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        if (header == null || header.value() == null) {
            return "";
        }
        return headerValue(header.value());
    }

    private static String headerValue(Object value) {
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    private String dateTime(SinkRecord record, String field, Instant instant) {
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(MAX_DATE_TIME)) {
            throw fail(record, "'" + field + "' is " + instant + ", outside ClickHouse DateTime's range "
                    + "1970-01-01T00:00:00Z.." + MAX_DATE_TIME);
        }
        long second = instant.getEpochSecond();
        if (second != lastFormattedSecond) { // consecutive records share the second: format once
            lastFormatted = DATE_TIME.format(instant);
            lastFormattedSecond = second;
        }
        return lastFormatted;
    }

    /** Rows the streaming path mapped (tests check that the path they compare was taken). */
    long streamedRows;
    private Plan lastPlan;
    private long lastPresent;
    private List<String> lastColumns;
    private long lastFormattedSecond = Long.MIN_VALUE;
    private String lastFormatted;

    private static int partition(SinkRecord record) {
        return record.kafkaPartition() == null ? 0 : record.kafkaPartition();
    }

    public static String coordinates(SinkRecord record) {
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
