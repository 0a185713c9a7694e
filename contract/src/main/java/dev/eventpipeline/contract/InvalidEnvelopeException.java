package dev.eventpipeline.contract;

/** An event that does not have the envelope shape; carries the JSON pointer of the offending field. */
public class InvalidEnvelopeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String pointer;

    public InvalidEnvelopeException(String pointer, String reason) {
        super(reason);
        this.pointer = pointer;
    }

    /** JSON pointer of the field at fault, e.g. {@code /eventId}; empty string for the whole event. */
    public String pointer() {
        return pointer;
    }

    /** Reason phrased for the client, naming the field. */
    public String reason() {
        return pointer.isEmpty() ? getMessage() : pointer + ": " + getMessage();
    }
}
