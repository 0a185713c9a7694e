package dev.eventpipeline.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson configuration for event JSON. Duplicate keys are rejected (ambiguous events are
 * refused, not resolved silently) and nesting depth is bounded so hostile input cannot exhaust the
 * stack.
 */
public final class JsonMapper {
    /** Deepest nesting accepted in an event. */
    public static final int MAX_NESTING_DEPTH = 32;

    private static final ObjectMapper MAPPER = create();

    private JsonMapper() {
    }

    public static ObjectMapper get() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return mapper;
    }
}
