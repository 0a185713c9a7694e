package dev.eventpipeline.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Checks the API key a client presents against the configured ones. Keys are kept only as SHA-256
 * digests and compared in constant time ({@link MessageDigest#isEqual}) against every configured key,
 * so neither timing nor a heap dump gives a key away cheaply.
 *
 * <p>Where a client may put its key: header {@code X-API-Key: <key>}, header
 * {@code Authorization: Bearer <key>}; on the WebSocket upgrade also subprotocol
 * {@code apikey.<key>} (browsers cannot set headers) or query parameter {@code api_key}.
 */
public final class ApiKeyAuthenticator {
    public static final String HEADER = "X-API-Key";
    public static final String QUERY_PARAM = "api_key";
    public static final String SUBPROTOCOL_PREFIX = "apikey.";
    public static final String BEARER = "bearer ";

    private final List<byte[]> digests;

    public ApiKeyAuthenticator(List<String> keys) {
        this.digests = keys.stream().map(ApiKeyAuthenticator::sha256).toList();
    }

    /** Authentication is on when at least one key is configured. */
    public boolean enabled() {
        return !digests.isEmpty();
    }

    /** True when authentication is off or {@code presented} is one of the keys. */
    public boolean accepts(String presented) {
        if (!enabled()) {
            return true;
        }
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(known, digest);
        }
        return match;
    }

    /** The key from {@code X-API-Key} or {@code Authorization: Bearer}, else null. */
    public static String fromHeaders(String apiKeyHeader, String authorization) {
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyHeader.trim();
        }
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return authorization.substring(BEARER.length()).trim();
        }
        return null;
    }

    /** The key from a subprotocol {@code apikey.<key>}, else null. */
    public static String fromSubprotocols(List<String> subprotocols) {
        if (subprotocols == null) {
            return null;
        }
        for (String p : subprotocols) {
            if (p != null && p.startsWith(SUBPROTOCOL_PREFIX) && p.length() > SUBPROTOCOL_PREFIX.length()) {
                return p.substring(SUBPROTOCOL_PREFIX.length());
            }
        }
        return null;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
