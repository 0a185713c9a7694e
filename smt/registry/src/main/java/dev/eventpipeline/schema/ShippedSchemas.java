package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The cart event schemas this project ships (resources {@code dev/eventpipeline/schema/shipped/}):
 * every contract event type at version 1, and {@code cart.item_added} at versions 1-3 (rename,
 * added defaulted field, added optional field). {@link #registerAll} is idempotent: the embedded
 * shape calls it at every start.
 */
public final class ShippedSchemas {
    private static final String DIR = "/dev/eventpipeline/schema/shipped/";

    /** One shipped version: what {@link SchemaRegistry#register} receives. */
    public record Shipped(String subject, int version, ObjectNode schema, Migration migration, ObjectNode metadata) {
    }

    private ShippedSchemas() {
    }

    public static List<Shipped> all() {
        List<Shipped> out = new ArrayList<>();
        for (String name : read("index.txt").split("\n")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                JsonNode doc = JsonMapper.get().readTree(read(name.trim()));
                out.add(new Shipped(doc.get("subject").asText(), doc.get("version").asInt(), (ObjectNode) doc.get("schema"),
                        Migration.fromJson(doc.get("migration")), (ObjectNode) doc.get("metadata")));
            } catch (IOException e) {
                throw new UncheckedIOException("shipped schema " + name, e);
            }
        }
        return out;
    }

    /**
     * Registers every shipped version in order (already registered identical versions are left as
     * they are). Returns the number of versions newly created.
     *
     * @throws SchemaRegistryException when a shipped version conflicts with what the registry holds
     */
    public static int registerAll(SchemaRegistry registry) {
        int created = 0;
        for (Shipped s : all()) {
            if (registry.version(s.subject(), s.version()).isPresent()
                    && registry.version(s.subject(), s.version()).get().contentFingerprint()
                    .equals(SchemaVersion.fingerprint(s.schema(), s.migration()))) {
                continue;
            }
            SchemaRegistry.Registration r = registry.register(s.subject(), s.schema(), s.migration(), s.metadata());
            if (r.version().version() != s.version()) {
                throw new SchemaRegistryException(409, "shipped " + s.subject() + " v" + s.version()
                        + " was registered as v" + r.version().version() + ": the registry holds other versions");
            }
            if (r.created()) {
                created++;
            }
        }
        return created;
    }

    private static String read(String name) {
        try (InputStream in = ShippedSchemas.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DIR + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
