package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One registered version of a subject. {@code schema} and {@code migration} are immutable once
 * registered; {@code metadata} (description, deprecated, owner, ...) may be replaced.
 *
 * @param subject    the event type wire name, e.g. {@code cart.item_added}
 * @param version    1, 2, ... per subject
 * @param id         registry-wide id (unique per subject+version)
 * @param schema     JSON Schema (draft 2020-12) of the event's {@code payload}
 * @param migration  how a payload of {@code version-1} maps to this version ({@link Migration#NONE} for v1)
 * @param metadata   free-form object; {@code description} and {@code deprecated} are documented keys
 */
public record SchemaVersion(String subject, int version, long id, ObjectNode schema, Migration migration,
                            ObjectNode metadata, Instant registeredAt) {

    /** Canonical text of the immutable content: two registrations are "identical" when these are equal. */
    public String contentFingerprint() {
        return fingerprint(schema, migration);
    }

    public static String fingerprint(JsonNode schema, Migration migration) {
        return CanonicalJson.write(schema) + "|" + CanonicalJson.write(migration.toJson());
    }

    public boolean deprecated() {
        return metadata != null && metadata.path("deprecated").asBoolean(false);
    }

    public SchemaVersion withMetadata(ObjectNode newMetadata) {
        return new SchemaVersion(subject, version, id, schema, migration, newMetadata, registeredAt);
    }

    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("subject", subject);
        out.put("version", version);
        out.put("id", id);
        out.set("schema", schema);
        out.set("migration", migration.toJson());
        out.set("metadata", metadata == null ? JsonNodeFactory.instance.objectNode() : metadata);
        out.put("registeredAt", registeredAt.toString());
        return out;
    }

    public static SchemaVersion fromJson(JsonNode node) {
        return new SchemaVersion(
                node.path("subject").asText(),
                node.path("version").asInt(),
                node.path("id").asLong(),
                (ObjectNode) node.path("schema"),
                Migration.fromJson(node.get("migration")),
                node.path("metadata").isObject() ? (ObjectNode) node.path("metadata") : JsonNodeFactory.instance.objectNode(),
                node.hasNonNull("registeredAt") ? Instant.parse(node.get("registeredAt").asText()) : Instant.EPOCH);
    }
}
