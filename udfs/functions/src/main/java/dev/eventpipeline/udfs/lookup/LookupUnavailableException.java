package dev.eventpipeline.udfs.lookup;

/** The lookup store did not answer; callers turn this into null plus the degraded flag. */
public class LookupUnavailableException extends Exception {
    public LookupUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
