package dev.eventpipeline.ingest.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.EventEnvelope;
import dev.eventpipeline.contract.InvalidEnvelopeException;
import dev.eventpipeline.contract.JsonMapper;
import dev.eventpipeline.ingest.config.EventSourceConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns the text of one request (HTTP body) or frame (WebSocket) into events, applying the envelope
 * checks that happen before anything enters Kafka: JSON syntax, size per event, events per request,
 * nesting depth and the required envelope fields. A bad event never fails its neighbours: each gets
 * its own {@link Item.Rejected} with a precise reason. Only a request that cannot be split into events
 * at all (not JSON, wrong top-level shape, too many events) is rejected as a whole ({@link RequestRejected}).
 *
 * <p>Events keep their exact original text (sliced from the request by parser offsets), so Kafka gets
 * the client's bytes, not a re-serialization.
 *
 * <p>Accepted shapes: one event object; an array of events; {@code {"batch":[...]}}.
 */
public final class EventParser {
    /** The whole request is unusable; {@code httpStatus} is 400 or 413. */
    public static final class RequestRejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final int httpStatus;

        public RequestRejected(int httpStatus, String reason) {
            super(reason);
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /** One element of a request. */
    public sealed interface Item {
        /** Passed every check: ready to go to Kafka. */
        record Valid(EventEnvelope envelope, String json) implements Item {
        }

        /** Failed a check: answered at once, never enters Kafka. */
        record Rejected(EventResult result) implements Item {
        }
    }

    public static final String BATCH_FIELD = "batch";

    /** Batches add up to two levels (wrapper object and array) above the events. */
    private static final ObjectMapper BATCH_MAPPER = batchMapper();

    private final int maxEventBytes;
    private final int maxBatchEvents;

    public EventParser(int maxEventBytes, int maxBatchEvents) {
        this.maxEventBytes = maxEventBytes;
        this.maxBatchEvents = maxBatchEvents;
    }

    /** {@code POST /events}: exactly one event object. */
    public Item parseSingle(String text) throws RequestRejected {
        if (text.isBlank()) {
            throw new RequestRejected(400, "malformed JSON: empty body");
        }
        JsonNode node;
        try {
            node = JsonMapper.get().readTree(text);
        } catch (JsonProcessingException e) {
            throw new RequestRejected(400, "malformed JSON: " + describe(e));
        }
        if (node == null || node.isMissingNode()) {
            throw new RequestRejected(400, "malformed JSON: empty body");
        }
        if (node.isArray()) {
            throw new RequestRejected(400, "POST /events takes one event object; send arrays to /events/batch");
        }
        return check(node, text);
    }

    /** {@code POST /events/batch} and WebSocket frames: an object, an array, or {@code {"batch":[...]}}. */
    public List<Item> parseMany(String text) throws RequestRejected {
        if (text.isBlank()) {
            throw new RequestRejected(400, "malformed JSON: empty body");
        }
        try (JsonParser parser = BATCH_MAPPER.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                List<Item> items = readArray(parser, text);
                expectEnd(parser);
                return items;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new RequestRejected(400, "malformed JSON: expected an event object, an array of events or "
                        + "{\"batch\":[...]}, got " + first);
            }
            JsonNode node = BATCH_MAPPER.readTree(parser);
            expectEnd(parser);
            JsonNode batch = node.get(BATCH_FIELD);
            if (batch != null && !node.has(EventEnvelope.EVENT_ID)) {
                if (!batch.isArray()) {
                    throw new RequestRejected(400, "/batch: must be an array of events");
                }
                return parseWrapped(text);
            }
            if (depth(node) > JsonMapper.MAX_NESTING_DEPTH) {
                throw new RequestRejected(400, "malformed JSON: nesting deeper than " + JsonMapper.MAX_NESTING_DEPTH);
            }
            return List.of(check(node, text));
        } catch (JsonProcessingException e) {
            throw new RequestRejected(400, "malformed JSON: " + describe(e));
        } catch (IOException e) {
            throw new RequestRejected(400, "malformed JSON: " + e.getMessage());
        }
    }

    private List<Item> parseWrapped(String text) throws IOException, RequestRejected {
        try (JsonParser parser = BATCH_MAPPER.getFactory().createParser(text)) {
            parser.nextToken(); // START_OBJECT
            List<Item> items = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (BATCH_FIELD.equals(field) && value == JsonToken.START_ARRAY) {
                    items = readArray(parser, text);
                } else {
                    parser.skipChildren();
                }
            }
            return items == null ? List.of() : items;
        }
    }

    /** Reads the elements of the array the parser is at (START_ARRAY), slicing each one's original text. */
    private List<Item> readArray(JsonParser parser, String text) throws IOException, RequestRejected {
        List<Item> items = new ArrayList<>();
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                break;
            }
            if (token == null) {
                throw new RequestRejected(400, "malformed JSON: unexpected end of input in array");
            }
            if (items.size() >= maxBatchEvents) {
                throw new RequestRejected(413, "request carries more than " + maxBatchEvents + " events; "
                        + EventSourceConfig.MAX_BATCH_EVENTS + " is " + maxBatchEvents);
            }
            int start = (int) parser.currentTokenLocation().getCharOffset();
            JsonNode node = BATCH_MAPPER.readTree(parser);
            int end = (int) parser.currentLocation().getCharOffset();
            String slice = text.substring(start, end);
            if (depth(node) > JsonMapper.MAX_NESTING_DEPTH) {
                items.add(new Item.Rejected(EventResult.invalid(idOf(node), "event nests deeper than "
                        + JsonMapper.MAX_NESTING_DEPTH + " levels", "")));
                continue;
            }
            items.add(check(node, slice));
        }
        return items;
    }

    private Item check(JsonNode node, String json) {
        // A char is 1 to 3 UTF-8 bytes (a surrogate pair is 4 for 2 chars): count only when the bound is unclear.
        int bytes = (long) json.length() * 3 <= maxEventBytes ? json.length() : utf8Length(json);
        if (bytes > maxEventBytes) {
            return new Item.Rejected(EventResult.tooLarge(idOf(node),
                    "event is " + bytes + " bytes; " + EventSourceConfig.MAX_EVENT_BYTES + " is " + maxEventBytes));
        }
        try {
            return new Item.Valid(EventEnvelope.parse(node), json);
        } catch (InvalidEnvelopeException e) {
            return new Item.Rejected(EventResult.invalid(idOf(node), e.reason(), e.pointer()));
        }
    }

    private static void expectEnd(JsonParser parser) throws IOException, RequestRejected {
        if (parser.nextToken() != null) {
            throw new RequestRejected(400, "malformed JSON: trailing content after the top-level value");
        }
    }

    static String idOf(JsonNode node) {
        JsonNode id = node == null ? null : node.get(EventEnvelope.EVENT_ID);
        if (id == null || !id.isTextual() || id.textValue().isBlank() || id.textValue().length() > EventEnvelope.MAX_ID_LENGTH) {
            return null;
        }
        return id.textValue();
    }

    /** Container depth: a scalar is 0, {@code {}} is 1. */
    static int depth(JsonNode node) {
        if (node == null || !node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            deepest = Math.max(deepest, depth(it.next()));
        }
        return deepest + 1;
    }

    public static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }

    private static ObjectMapper batchMapper() {
        ObjectMapper mapper = JsonMapper.get().copy();
        // Elements are read one by one from a shared parser; trailing content is checked by expectEnd.
        mapper.disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(JsonMapper.MAX_NESTING_DEPTH + 2)
                .build());
        return mapper;
    }
}
