package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test helpers: JSON from text with single quotes, example events. */
public final class Json {
    private Json() {
    }

    public static ObjectNode obj(String singleQuoted) {
        return (ObjectNode) node(singleQuoted);
    }

    public static JsonNode node(String singleQuoted) {
        try {
            return JsonMapper.get().readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String example(String name) {
        try (InputStream in = Json.class.getResourceAsStream("/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
