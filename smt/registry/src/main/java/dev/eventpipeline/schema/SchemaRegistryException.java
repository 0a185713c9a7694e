package dev.eventpipeline.schema;

import java.util.List;

/** A refused registry operation; {@link #status()} is the HTTP status the REST handler answers with. */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient List<String> details;

    public SchemaRegistryException(int status, String message) {
        this(status, message, List.of());
    }

    public SchemaRegistryException(int status, String message, List<String> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public int status() {
        return status;
    }

    /** e.g. the list of incompatibilities of a refused registration. */
    public List<String> details() {
        return details;
    }
}
