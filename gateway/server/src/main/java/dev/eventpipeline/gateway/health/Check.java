package dev.eventpipeline.gateway.health;

/**
 * One dependency's state at one moment.
 *
 * @param detail what was seen (version, broker count) or why it is down
 */
public record Check(String name, boolean up, String detail, long latencyMs) {
    public static Check up(String name, String detail, long latencyMs) {
        return new Check(name, true, detail, latencyMs);
    }

    public static Check down(String name, String detail, long latencyMs) {
        return new Check(name, false, detail, latencyMs);
    }
}
