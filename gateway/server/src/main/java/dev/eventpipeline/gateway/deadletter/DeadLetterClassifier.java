package dev.eventpipeline.gateway.deadletter;

import dev.eventpipeline.contract.EventHeaders;

import java.util.Map;
import java.util.Set;

/**
 * Tells a dead letter that a retry may fix (the downstream was unavailable or slow) from one that
 * needs a human (the data itself is bad). Unknown failures count as permanent: retrying them
 * blindly would loop.
 */
public final class DeadLetterClassifier {
    public static final String PERMANENT = "permanent";
    public static final String TRANSIENT = "transient";
    /** A transient record the retrier gave up on (budget exhausted, nowhere to retry to): waits for a human. */
    public static final String PARKED = "parked";

    /** Exception classes (simple names) that signal a downstream that may recover. */
    static final Set<String> TRANSIENT_EXCEPTIONS = Set.of("RetriableException", "TimeoutException",
            "ConnectException", "SocketTimeoutException", "HttpTimeoutException", "RedisConnectionException",
            "RetriableClickHouseException", "UnknownHostException", "NoRouteToHostException");

    private DeadLetterClassifier() {
    }

    public static String classify(Map<String, String> headers) {
        if (headers.containsKey(EventHeaders.DLQ_PARKED)) {
            return PARKED;
        }
        if (headers.containsKey(EventHeaders.ERROR_REASON)) {
            return PERMANENT; // our validation transform: the event does not match its schema
        }
        String stage = headers.getOrDefault(EventHeaders.ERROR_STAGE, "");
        if (stage.equals("KEY_CONVERTER") || stage.equals("VALUE_CONVERTER") || stage.equals("HEADER_CONVERTER")) {
            return PERMANENT; // bytes that cannot be deserialised will not deserialise later
        }
        String exception = headers.getOrDefault(EventHeaders.ERROR_EXCEPTION_CLASS, "");
        String simple = exception.substring(exception.lastIndexOf('.') + 1);
        if (TRANSIENT_EXCEPTIONS.contains(simple) || simple.startsWith("Retriable")) {
            return TRANSIENT;
        }
        return PERMANENT;
    }
}
