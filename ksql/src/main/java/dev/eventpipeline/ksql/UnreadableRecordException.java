package dev.eventpipeline.ksql;

/**
 * A record of {@code cart-events-validated} that ksqlDB's JSON format could not read into the source
 * stream's columns; the message is the reason, starting with the JSON pointer of the failing value
 * (e.g. {@code /payload/quantity: not an INT: "two"}). The twin dead-letters such records.
 */
public final class UnreadableRecordException extends RuntimeException {
    public UnreadableRecordException(String reason) {
        super(reason, null, false, false);
    }
}
