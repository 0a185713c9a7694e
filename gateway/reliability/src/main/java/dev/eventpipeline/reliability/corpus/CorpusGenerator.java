package dev.eventpipeline.reliability.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Generates the bad-input corpus: request {@code i} is of kind {@code i mod kinds()}, its variant drawn
 * from a {@link Random} seeded with (seed, i), so a corpus is reproducible and can be cut into slices. Expected answers are the
 * documented ones (connectors/event-source/README.md, "HTTP" and "WebSocket"), with the listener's
 * shipped limits: 32 KB per event, 500 KB per request, 1,000 events per batch, nesting 32.
 */
public final class CorpusGenerator {
    static final int MAX_EVENT_BYTES = 32_768;
    static final int MAX_REQUEST_BYTES = 512_000;
    static final int MAX_BATCH_EVENTS = 1000;
    static final int MAX_NESTING = 32;

    /** A valid-looking envelope around {@code payload}, with a marker id so nothing collides with real traffic. */
    static String event(String id, String payloadJson) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"cart.item_added\",\"schemaVersion\":3,"
                + "\"occurredAt\":\"2026-11-27T08:00:00.000Z\",\"userId\":\"u\",\"sessionId\":\"s\",\"storeId\":\"store-eu-1\","
                + "\"payload\":" + payloadJson + "}";
    }

    private final List<Function<Random, BadRequest>> kinds = new ArrayList<>();

    public CorpusGenerator() {
        // Broken JSON: truncated, garbage, unbalanced, trailing data.
        kinds.add(r -> BadRequest.http("broken JSON", "/events", bytes(truncate(event(id(r), "{}"), r)), 400, "malformed JSON"));
        kinds.add(r -> BadRequest.http("broken JSON", "/events/batch", bytes("[" + event(id(r), "{}") + ",{\"eventId\":"), 400,
                "malformed JSON"));
        kinds.add(r -> BadRequest.http("broken JSON", "/events", bytes(garbage(r, 1 + r.nextInt(200))), 400, "malformed JSON"));
        kinds.add(r -> BadRequest.http("broken JSON", "/events", bytes(event(id(r), "{}") + "}}"), 400, "malformed JSON"));
        kinds.add(r -> BadRequest.http("empty body", "/events", new byte[0], 400, "empty"));
        // Deep nesting: past the 32-level limit, as the event and inside the payload.
        kinds.add(r -> BadRequest.http("deep nesting", "/events", bytes(event(id(r), nest(MAX_NESTING + 1 + r.nextInt(2000)))), 400,
                null));
        kinds.add(r -> BadRequest.http("deep nesting", "/events", bytes("[".repeat(5000 + r.nextInt(50_000))), 400, "malformed JSON"));
        // Huge strings and arrays: one event above 32 KB (413), one body above 500 KB (413), > 1,000 events (413).
        kinds.add(r -> BadRequest.http("huge string", "/events", bytes(event(id(r), "{\"sku\":\"" + "x".repeat(MAX_EVENT_BYTES + r.nextInt(100_000)) + "\"}")),
                413, "bytes"));
        kinds.add(r -> BadRequest.http("huge array", "/events", bytes(event(id(r), "{\"items\":[" + "1,".repeat(20_000 + r.nextInt(50_000)) + "1]}")),
                413, "bytes"));
        kinds.add(r -> BadRequest.http("too many events", "/events/batch", bytes("[" + "{},".repeat(MAX_BATCH_EVENTS + r.nextInt(500)) + "{}]"),
                413, "events"));
        kinds.add(r -> BadRequest.http("oversized body", "/events/batch", bytes("[\"" + "y".repeat(MAX_REQUEST_BYTES + r.nextInt(200_000)) + "\"]"),
                413, null));
        // Wrong types in the envelope: each answered 400 with the field's JSON pointer.
        kinds.add(r -> BadRequest.http("wrong types", "/events", bytes(wrongType(r)), 400, null));
        kinds.add(r -> BadRequest.http("wrong types", "/events", bytes("[" + event(id(r), "{}") + "]"), 400, "/events/batch"));
        kinds.add(r -> BadRequest.http("wrong types", "/events", bytes(Integer.toString(r.nextInt())), 400, null));
        // Invalid UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence.
        kinds.add(r -> BadRequest.http("invalid UTF-8", "/events", invalidUtf8(r), 400, "UTF-8"));
        // Duplicate keys (a classic parser-differential trick: which eventId wins?).
        kinds.add(r -> BadRequest.http("duplicate keys", "/events",
                bytes(event(id(r), "{}").replaceFirst("\\{", "{\"eventId\":\"" + id(r) + "\",")), 400, "malformed JSON"));
        // Encodings: a gzip bomb-ish body above the limit once inflated, broken gzip, an unknown encoding.
        kinds.add(r -> BadRequest.http("gzip bomb", "/events/batch", gzip(new byte[MAX_REQUEST_BYTES + 1 + r.nextInt(4_000_000)]), 413, null)
                .withHeaders(Map.of("Content-Type", "application/json", "Content-Encoding", "gzip")));
        kinds.add(r -> BadRequest.http("bad gzip", "/events", bytes(event(id(r), "{}")), 400, "gzip")
                .withHeaders(Map.of("Content-Type", "application/json", "Content-Encoding", "gzip")));
        kinds.add(r -> BadRequest.http("unsupported encoding", "/events", bytes(event(id(r), "{}")), 415, null)
                .withHeaders(Map.of("Content-Type", "application/json", "Content-Encoding", "br")));
        // Wrong method, unknown path.
        kinds.add(r -> BadRequest.http("wrong method", "/events", new byte[0], 405, null).withMethod("PUT"));
        kinds.add(r -> BadRequest.http("unknown path", "/events/" + garbagePath(r), bytes("{}"), 404, null));
        // Missing and forged API keys, against the listener that requires one.
        kinds.add(r -> BadRequest.http("missing API key", "/events", bytes(event(id(r), "{}")), 401, null).onAuthListener());
        kinds.add(r -> BadRequest.http("forged API key", "/events", bytes(event(id(r), "{}")), 401, null).onAuthListener()
                .withHeaders(Map.of("Content-Type", "application/json", "X-API-Key", garbage(r, 16 + r.nextInt(48)).replaceAll("[^!-~]", "k"))));
        kinds.add(r -> BadRequest.http("forged API key", "/events/batch", bytes("[" + event(id(r), "{}") + "]"), 401, null).onAuthListener()
                .withHeaders(Map.of("Content-Type", "application/json", "Authorization", "Bearer forged-" + Long.toHexString(r.nextLong()))));
        // WebSocket frames: malformed frames are answered and the connection stays open; binary and
        // oversized frames close it with 1003 / 1009; a forged key closes it with 4401.
        kinds.add(r -> BadRequest.ws("WS broken JSON", bytes(truncate(event(id(r), "{}"), r)), false, 0, "malformed JSON"));
        kinds.add(r -> BadRequest.ws("WS wrong types", bytes(wrongType(r)), false, 0, null));
        kinds.add(r -> BadRequest.ws("WS binary frame", bytes(event(id(r), "{}")), true, 1003, null));
        kinds.add(r -> BadRequest.ws("WS oversized frame", bytes("[\"" + "z".repeat(MAX_REQUEST_BYTES + r.nextInt(100_000)) + "\"]"), false, 1009, null));
        kinds.add(r -> new BadRequest("WS forged API key", BadRequest.Transport.WS, "/events/stream?api_key=forged" + r.nextInt(1_000_000),
                "GET", Map.of(), bytes(event(id(r), "{}")), false, true, 4401, null));
    }

    /** The number of distinct request shapes (categories × variants) one cycle covers. */
    public int kinds() {
        return kinds.size();
    }

    /**
     * Request number {@code index} of the corpus with this seed. Generated on demand (the whole corpus
     * carries gigabytes of oversized bodies); the same seed and index always give the same request.
     */
    public BadRequest get(long seed, int index) {
        return kinds.get(index % kinds.size()).apply(new Random(seed * 1_000_003L + index));
    }

    private static String id(Random r) {
        return "corpus-" + Long.toHexString(r.nextLong());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String truncate(String s, Random r) {
        return s.substring(0, 1 + r.nextInt(s.length() - 2));
    }

    private static String garbage(Random r, int length) {
        StringBuilder b = new StringBuilder(length);
        String alphabet = "{}[],:\"\\ntrufalse0123456789-+.eE \t\u00e9\u4e2d";
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        // Never accidentally valid JSON: an object must not close.
        return "{" + b.toString().replace("}", "") + ":";
    }

    private static String garbagePath(Random r) {
        return "x" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String nest(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static String wrongType(Random r) {
        String e = event("corpus-" + Long.toHexString(r.nextLong()), "{}");
        return switch (r.nextInt(6)) {
            case 0 -> e.replaceFirst("\"eventId\":\"[^\"]*\"", "\"eventId\":" + r.nextInt());
            case 1 -> e.replace("\"schemaVersion\":3", "\"schemaVersion\":\"three\"");
            case 2 -> e.replace("\"payload\":{}", "\"payload\":[1,2,3]");
            case 3 -> e.replace("\"sessionId\":\"s\"", "\"sessionId\":{\"nested\":true}");
            case 4 -> e.replace("\"occurredAt\":\"2026-11-27T08:00:00.000Z\"", "\"occurredAt\":\"yesterday\"");
            default -> e.replace("\"storeId\":\"store-eu-1\"", "\"storeId\":null");
        };
    }

    private static byte[] invalidUtf8(Random r) {
        byte[] valid = bytes(event("corpus-" + Long.toHexString(r.nextLong()), "{\"sku\":\"AB\"}"));
        int at = new String(valid, StandardCharsets.UTF_8).indexOf("AB");
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        byte[] insert = bad[r.nextInt(bad.length)];
        byte[] out = new byte[valid.length + insert.length];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(valid, at, out, at + insert.length, valid.length - at);
        return out;
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
