package dev.eventpipeline.ksql;

/**
 * A record of {@code cart-events-validated} the twin sends to the DLQ: its original value (the
 * bytes as they were read, so a replay sees exactly what arrived) and why.
 *
 * @param original   the record's value bytes
 * @param stage      {@code EventHeaders.STAGE_ENRICHMENT_READ} or {@code STAGE_ENRICHMENT_FUNCTION}
 * @param reason     the reason in words, with the JSON pointer or the function name
 * @param errorClass the class where it failed (the twin's reader, or the UDF class)
 * @param error      the exception, when there is one (its class and stack trace go into headers)
 */
public record DeadLetter(byte[] original, String stage, String reason, Class<?> errorClass, Throwable error) {
}
