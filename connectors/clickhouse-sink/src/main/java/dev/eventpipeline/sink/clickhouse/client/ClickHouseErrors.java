package dev.eventpipeline.sink.clickhouse.client;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ClickHouse's answers into {@link ClickHouseException}s and decides which are worth retrying.
 *
 * <p>The error code comes from the {@code X-ClickHouse-Exception-Code} header (current releases) or
 * from the body text, which starts {@code Code: N, e.displayText() = ...} on 18.16 and
 * {@code Code: N. DB::Exception: ...} on current releases.
 */
public final class ClickHouseErrors {
    private static final Pattern CODE = Pattern.compile("Code:\\s*(\\d+)");
    private static final int MAX_MESSAGE = 2_000;

    /**
     * Error codes that describe the server's state rather than the request: the same INSERT can
     * succeed later. Mirrors the list of ClickHouse's own Kafka Connect sink.
     */
    static final Map<Integer, String> TRANSIENT = Map.ofEntries(
            Map.entry(3, "UNEXPECTED_END_OF_FILE"),
            Map.entry(159, "TIMEOUT_EXCEEDED"),
            Map.entry(164, "READONLY"),
            Map.entry(202, "TOO_MANY_SIMULTANEOUS_QUERIES"),
            Map.entry(203, "NO_FREE_CONNECTION"),
            Map.entry(209, "SOCKET_TIMEOUT"),
            Map.entry(210, "NETWORK_ERROR"),
            Map.entry(241, "MEMORY_LIMIT_EXCEEDED"),
            Map.entry(242, "TABLE_IS_READ_ONLY"),
            Map.entry(252, "TOO_MANY_PARTS"),
            Map.entry(285, "TOO_FEW_LIVE_REPLICAS"),
            Map.entry(319, "UNKNOWN_STATUS_OF_INSERT"),
            Map.entry(425, "SYSTEM_ERROR"),
            Map.entry(999, "KEEPER_EXCEPTION"));

    /** Codes meaning the credentials are wrong; retrying cannot help, the message says what to fix. */
    static final Map<Integer, String> AUTHENTICATION = Map.of(
            192, "UNKNOWN_USER",
            193, "WRONG_PASSWORD",
            194, "REQUIRED_PASSWORD",
            195, "IP_ADDRESS_NOT_ALLOWED",
            516, "AUTHENTICATION_FAILED");

    /**
     * Codes meaning ClickHouse could not read a value of the INSERT's data: the rows are at fault, not
     * the server or the table, so a batch rejected with one of them is split to find the bad rows.
     */
    static final Map<Integer, String> BAD_DATA = Map.ofEntries(
            Map.entry(6, "CANNOT_PARSE_TEXT"),
            Map.entry(25, "CANNOT_PARSE_ESCAPE_SEQUENCE"),
            Map.entry(26, "CANNOT_PARSE_QUOTED_STRING"),
            Map.entry(27, "CANNOT_PARSE_INPUT_ASSERTION_FAILED"),
            Map.entry(32, "ATTEMPT_TO_READ_AFTER_EOF"),
            Map.entry(33, "CANNOT_READ_ALL_DATA"),
            Map.entry(38, "CANNOT_PARSE_DATE"),
            Map.entry(41, "CANNOT_PARSE_DATETIME"),
            Map.entry(53, "TYPE_MISMATCH"),
            Map.entry(69, "ARGUMENT_OUT_OF_BOUND"),
            Map.entry(70, "CANNOT_CONVERT_TYPE"),
            Map.entry(72, "CANNOT_PARSE_NUMBER"),
            Map.entry(117, "INCORRECT_DATA"),
            Map.entry(131, "TOO_LARGE_STRING_SIZE"),
            Map.entry(349, "CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN"),
            Map.entry(376, "CANNOT_PARSE_UUID"));

    private ClickHouseErrors() {
    }

    public static boolean isBadData(int code) {
        return BAD_DATA.containsKey(code);
    }

    public static boolean isTransient(int code) {
        return TRANSIENT.containsKey(code);
    }

    /** The error code in an answer: header first, then body text. */
    public static OptionalInt code(HttpHeaders headers, String body) {
        if (headers != null) {
            var header = headers.firstValue("X-ClickHouse-Exception-Code");
            if (header.isPresent()) {
                try {
                    return OptionalInt.of(Integer.parseInt(header.get().trim()));
                } catch (NumberFormatException ignored) {
                    // fall back to the body
                }
            }
        }
        if (body != null) {
            Matcher m = CODE.matcher(body);
            if (m.find()) {
                try {
                    return OptionalInt.of(Integer.parseInt(m.group(1)));
                } catch (NumberFormatException ignored) {
                    // absurdly long number: no code
                }
            }
        }
        return OptionalInt.empty();
    }

    /** An error answer (status other than 200). */
    public static ClickHouseException fromResponse(int status, HttpHeaders headers, String body) {
        OptionalInt code = code(headers, body);
        boolean retriable = code.isPresent()
                ? isTransient(code.getAsInt())
                : status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
        StringBuilder message = new StringBuilder("ClickHouse answered HTTP ").append(status);
        code.ifPresent(c -> message.append(", code ").append(c).append(name(c)));
        message.append(": ").append(abbreviate(body == null ? "" : body.trim()));
        if (code.isPresent() && AUTHENTICATION.containsKey(code.getAsInt()) || status == 401 || status == 403) {
            message.append(" (check clickhouse.user and clickhouse.password)");
        }
        return new ClickHouseException(message.toString(), code.orElse(ClickHouseException.NO_CODE), status,
                retriable, null);
    }

    /** No usable answer: connection refused or reset, timeouts. Always retriable. */
    public static ClickHouseException fromIOException(String target, IOException e) {
        return new ClickHouseException("ClickHouse at " + target + " not reachable: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                ClickHouseException.NO_CODE, ClickHouseException.NO_STATUS, true, e);
    }

    private static String name(int code) {
        String name = TRANSIENT.getOrDefault(code, AUTHENTICATION.getOrDefault(code, BAD_DATA.get(code)));
        return name == null ? "" : " (" + name + ")";
    }

    static String abbreviate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "... ("
                + (text.length() - MAX_MESSAGE) + " more characters)";
    }
}
