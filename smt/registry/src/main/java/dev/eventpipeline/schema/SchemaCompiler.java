package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;

import java.util.List;

/** Compiles draft 2020-12 schemas with networknt json-schema-validator (JSON pointer error paths). */
final class SchemaCompiler {
    /** Draft 2020-12 as the library ships it, but {@code minimum} with {@link FastMinimum}'s shortcut. */
    static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012()).keyword(new FastMinimum()).build();

    private final com.networknt.schema.SchemaRegistry factory = com.networknt.schema.SchemaRegistry.withDefaultDialect(
            DIALECT,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .build()));
    private volatile Schema metaSchema;

    Schema compile(JsonNode schema) {
        return factory.getSchema(schema);
    }

    /** Errors of validating {@code schema} against the 2020-12 meta-schema (bundled with the library). */
    List<String> metaValidate(JsonNode schema) {
        Schema meta = metaSchema;
        if (meta == null) {
            meta = factory.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
            metaSchema = meta;
        }
        return meta.validate(schema).stream().map(SchemaCompiler::describe).toList();
    }

    static String describe(Error e) {
        String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return (at.isEmpty() ? "/" : at) + ": " + e.getMessage();
    }
}
