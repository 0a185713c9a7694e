package dev.eventpipeline.ksql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventpipeline.contract.JsonMapper;

import java.io.IOException;

/** JSON to and from record bytes with the contract's mapper. */
final class JsonBytes {
    private static final ObjectMapper MAPPER = JsonMapper.get();

    private JsonBytes() {
    }

    static JsonNode read(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
