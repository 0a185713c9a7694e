package dev.eventpipeline.smt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Example events (test resources /examples), shared by unit tests and ITs; references no transform class. */
final class Examples {
    private Examples() {
    }

    static String example(String name) {
        try (InputStream in = Examples.class.getResourceAsStream("/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
