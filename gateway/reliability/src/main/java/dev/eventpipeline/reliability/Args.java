package dev.eventpipeline.reliability;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} command-line options of the suite and the benchmark. */
public record Args(String command, Map<String, String> options) {
    public static Args parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        String command = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                o.put(args[i].substring(2), args[++i]);
            } else if (command == null) {
                command = args[i];
            } else {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        return new Args(command, o);
    }

    public String get(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback) {
        return Integer.parseInt(get(key, Integer.toString(fallback)));
    }
}
