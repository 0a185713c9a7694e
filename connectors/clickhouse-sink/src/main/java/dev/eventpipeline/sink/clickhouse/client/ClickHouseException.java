package dev.eventpipeline.sink.clickhouse.client;

/**
 * A request to ClickHouse that failed: the server answered with an error (then {@link #code()} is
 * ClickHouse's error code when the answer carried one) or could not be reached (no status).
 * {@link #retriable()} says whether sending the same request again may succeed.
 */
public final class ClickHouseException extends Exception {
    private static final long serialVersionUID = 1L;
    /** No ClickHouse error code in the answer (or no answer). */
    public static final int NO_CODE = -1;
    /** No HTTP answer at all: connection refused, timeout, reset. */
    public static final int NO_STATUS = -1;

    private final int code;
    private final int httpStatus;
    private final boolean retriable;

    public ClickHouseException(String message, int code, int httpStatus, boolean retriable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.retriable = retriable;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retriable() {
        return retriable;
    }
}
