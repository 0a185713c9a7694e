package dev.eventpipeline.smt;

import dev.eventpipeline.schema.KafkaSchemaLog;
import dev.eventpipeline.schema.SchemaRegistry;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One read-only registry (one consumer tailing the schemas topic) per (bootstrap servers, topic) for
 * all ValidateEvent instances of this plugin's class loader, reference-counted.
 */
final class SharedRegistries {
    private record Entry(SchemaRegistry registry, int[] refs) {
    }

    private static final Map<String, Entry> REGISTRIES = new HashMap<>();

    private SharedRegistries() {
    }

    static synchronized SchemaRegistry acquire(String bootstrap, String topic, Map<String, Object> clientProps, Duration timeout) {
        String key = bootstrap + "|" + topic + "|" + clientProps;
        Entry e = REGISTRIES.get(key);
        if (e == null) {
            SchemaRegistry r = SchemaRegistry.open(new KafkaSchemaLog(bootstrap, topic, clientProps, false), timeout);
            e = new Entry(r, new int[]{0});
            REGISTRIES.put(key, e);
        }
        e.refs()[0]++;
        return e.registry();
    }

    static synchronized void release(SchemaRegistry registry) {
        REGISTRIES.entrySet().removeIf(en -> {
            if (en.getValue().registry() != registry) {
                return false;
            }
            if (--en.getValue().refs()[0] > 0) {
                return false;
            }
            registry.close();
            return true;
        });
    }
}
