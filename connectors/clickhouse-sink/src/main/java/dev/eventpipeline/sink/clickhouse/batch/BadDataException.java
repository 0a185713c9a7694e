package dev.eventpipeline.sink.clickhouse.batch;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * ClickHouse rejected an INSERT because of the data in it (a value it cannot parse, a type
 * mismatch...), not because of the server or the table: retrying the same rows cannot help, but
 * the other rows of the batch can be written without the bad one.
 */
public class BadDataException extends ConnectException {
    public BadDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
