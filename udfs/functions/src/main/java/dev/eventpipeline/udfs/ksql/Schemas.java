package dev.eventpipeline.udfs.ksql;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Return schemas of the functions, twice: as the ksqlDB SQL type in {@code @Udf(schema=...)} (field
 * names back-quoted so ksqlDB keeps their case) and as the Connect schema of the returned
 * {@code Struct}. Every field and every struct is optional, as ksqlDB requires. SchemasTest checks
 * that both forms agree field by field.
 */
public final class Schemas {
    private Schemas() {
    }

    public static final String USER_SQL = "STRUCT<`lastSeen` STRING, `purchaseCount` BIGINT, "
            + "`lastPurchaseAt` STRING, `preferences` MAP<STRING, STRING>, `lifetimeValue` DOUBLE, `segment` STRING>";
    public static final Schema USER = SchemaBuilder.struct().optional().name("UserProfile")
            .field("lastSeen", Schema.OPTIONAL_STRING_SCHEMA)
            .field("purchaseCount", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lastPurchaseAt", Schema.OPTIONAL_STRING_SCHEMA)
            .field("preferences", SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("lifetimeValue", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("segment", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final String STORE_SQL = "STRUCT<`timezone` STRING, `localTime` STRING, `openNow` BOOLEAN, "
            + "`businessHours` STRING, `settings` MAP<STRING, STRING>>";
    public static final Schema STORE = SchemaBuilder.struct().optional().name("StoreContext")
            .field("timezone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("localTime", Schema.OPTIONAL_STRING_SCHEMA)
            .field("openNow", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("businessHours", Schema.OPTIONAL_STRING_SCHEMA)
            .field("settings", SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .build();

    public static final String SESSION_SQL = "STRUCT<`position` BIGINT, `startedAt` STRING, `msSinceStart` BIGINT, "
            + "`msSincePrevious` BIGINT>";
    public static final Schema SESSION = SchemaBuilder.struct().optional().name("SessionContext")
            .field("position", Schema.OPTIONAL_INT64_SCHEMA)
            .field("startedAt", Schema.OPTIONAL_STRING_SCHEMA)
            .field("msSinceStart", Schema.OPTIONAL_INT64_SCHEMA)
            .field("msSincePrevious", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    public static final String CART_SQL = "STRUCT<`itemCount` INT, `value` DOUBLE, `valueChange` DOUBLE, "
            + "`currency` STRING, `valueEur` DOUBLE>";
    public static final Schema CART = SchemaBuilder.struct().optional().name("CartFeatures")
            .field("itemCount", Schema.OPTIONAL_INT32_SCHEMA)
            .field("value", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("valueChange", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("valueEur", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();

    public static final String META_SQL = "STRUCT<`pipelineVersion` STRING, `enrichedAt` STRING, `redisDegraded` BOOLEAN>";
    public static final Schema META = SchemaBuilder.struct().optional().name("ProcessingMeta")
            .field("pipelineVersion", Schema.OPTIONAL_STRING_SCHEMA)
            .field("enrichedAt", Schema.OPTIONAL_STRING_SCHEMA)
            .field("redisDegraded", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .build();

    /** The SQL type of a Connect schema, in the form used above (for the check and the reference). */
    public static String sql(Schema schema) {
        return switch (schema.type()) {
            case STRING -> "STRING";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case FLOAT64 -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case MAP -> "MAP<" + sql(schema.keySchema()) + ", " + sql(schema.valueSchema()) + ">";
            case ARRAY -> "ARRAY<" + sql(schema.valueSchema()) + ">";
            case STRUCT -> {
                StringBuilder out = new StringBuilder("STRUCT<");
                for (int i = 0; i < schema.fields().size(); i++) {
                    var f = schema.fields().get(i);
                    out.append(i == 0 ? "" : ", ").append('`').append(f.name()).append("` ").append(sql(f.schema()));
                }
                yield out.append('>').toString();
            }
            default -> throw new IllegalArgumentException("no SQL type for " + schema.type());
        };
    }
}
