package dev.eventpipeline.schema.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.schema.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The de-duplication hash of an event: SHA-256 (first 128 bits, hex) of its {@code eventId}, or of the
 * canonical event JSON (keys sorted) when the key field is missing. Redis key:
 * {@code event_dedup:{hash}}.
 */
public final class DedupKeys {
    public static final String KEY_PREFIX = "event_dedup:";
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private DedupKeys() {
    }

    public static String hashOfId(String eventId) {
        return hash("id:" + eventId);
    }

    /** Hash of {@code event.keyField} when it is a non-blank string, else of the canonical event. */
    public static String hashOf(JsonNode event, String keyField) {
        JsonNode key = event == null ? null : event.get(keyField);
        if (key != null && key.isTextual() && !key.textValue().isBlank()) {
            return hashOfId(key.textValue());
        }
        return hash("event:" + CanonicalJson.write(event));
    }

    public static String redisKey(String hash) {
        return KEY_PREFIX + hash;
    }

    private static String hash(String text) {
        MessageDigest md = SHA256.get();
        md.reset();
        byte[] digest = md.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
