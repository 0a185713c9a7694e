package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipeline.contract.EventType;
import dev.eventpipeline.schema.ShippedSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the build when the payload STRUCT of V000001 (and so the twin, which QueryCatalogCheckTest
 * holds to the migration) disagrees with the registry's latest schema of any event type.
 */
class PayloadContractTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The payload schema of the latest shipped version of every subject. */
    static Map<String, JsonNode> latestShipped() {
        Map<String, ShippedSchemas.Shipped> latest = new LinkedHashMap<>();
        for (ShippedSchemas.Shipped s : ShippedSchemas.all()) {
            latest.merge(s.subject(), s, (a, b) -> a.version() >= b.version() ? a : b);
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        latest.forEach((subject, s) -> out.put(subject, s.schema()));
        return out;
    }

    static String columns(Path migrations) {
        return Migrations.read(migrations).sourceColumns().get(QueryCatalog.VALIDATED_STREAM);
    }

    @Test
    void migrationStructEqualsTheLatestRegistrySchemas() {
        assertThat(PayloadContract.differences(columns(QueryCatalogCheckTest.MIGRATIONS), latestShipped())).isEmpty();
    }

    @Test
    void everyEventTypeHasAShippedSchema() {
        assertThat(latestShipped().keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventType.values()).map(EventType::wireName).toList());
    }

    @Test
    void itSeesTheLatestVersionOnly() {
        // item_added v1 had `price`; v2 renamed it to `unitPrice`: only the latter is in the STRUCT
        assertThat(latestShipped().get("cart.item_added").path("properties").has("price")).isFalse();
    }

    @Test
    void aRemovedFieldOrChangedTypeInTheMigrationFails(@TempDir Path dir) throws IOException {
        QueryCatalogCheckTest.copyMigrations(dir);
        Path enrich = dir.resolve("V000001__enrich_cart_events.sql");
        Files.writeString(enrich, Files.readString(enrich)
                .replace("`discount` DOUBLE,", "")
                .replace("`newQuantity` INT,", "`newQuantity` STRING,")
                .replace("`paymentMethod` STRING>", "`paymentMethod` STRING, `giftWrap` BOOLEAN>"));
        List<String> diffs = PayloadContract.differences(columns(dir), latestShipped());
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.discount (DOUBLE, cart.item_added) is missing"));
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.newQuantity is STRING in the migration but INT"));
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.giftWrap (BOOLEAN) is in the migration's payload STRUCT but in no latest schema"));
    }

    @Test
    void aNewSchemaVersionWithAnotherFieldFails() {
        Map<String, JsonNode> schemas = latestShipped();
        ObjectNode v4 = schemas.get("cart.item_added").deepCopy();
        ((ObjectNode) v4.get("properties")).putObject("giftMessage").put("type", "string");
        ((ObjectNode) v4.get("properties").get("quantity")).remove("maximum");
        schemas.put("cart.item_added", v4);
        List<String> diffs = PayloadContract.differences(columns(QueryCatalogCheckTest.MIGRATIONS), schemas);
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.giftMessage (STRING, cart.item_added) is missing"));
        // an unbounded integer needs BIGINT; other types keep quantity at INT, so it widens
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.quantity is INT in the migration but BIGINT"));
    }

    @Test
    void conflictingTypesAcrossEventTypesAreReported() {
        Map<String, JsonNode> schemas = latestShipped();
        ObjectNode cleared = schemas.get("cart.cleared").deepCopy();
        ((ObjectNode) cleared.get("properties").get("reason")).put("type", "integer");
        schemas.put("cart.cleared", cleared);
        assertThat(PayloadContract.differences(columns(QueryCatalogCheckTest.MIGRATIONS), schemas))
                .anySatisfy(d -> assertThat(d).contains("payload.reason is").contains("one payload STRUCT cannot hold both"));
    }

    @Test
    void nestedItemFieldsAreCompared(@TempDir Path dir) throws IOException {
        QueryCatalogCheckTest.copyMigrations(dir);
        Path enrich = dir.resolve("V000001__enrich_cart_events.sql");
        Files.writeString(enrich, Files.readString(enrich).replace(
                "ARRAY<STRUCT<`productId` STRING, `quantity` INT, `unitPrice` DOUBLE>>",
                "ARRAY<STRUCT<`sku` STRING, `quantity` INT, `unitPrice` STRING>>"));
        List<String> diffs = PayloadContract.differences(columns(dir), latestShipped());
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.items[].productId (STRING"));
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.items[].unitPrice is STRING in the migration but DOUBLE"));
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("payload.items[].sku (STRING) is in the migration"));
    }
}
