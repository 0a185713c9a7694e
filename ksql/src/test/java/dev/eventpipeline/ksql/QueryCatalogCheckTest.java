package dev.eventpipeline.ksql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fails the build when ksql/migrations and the embedded twin disagree. */
class QueryCatalogCheckTest {
    static final Path MIGRATIONS = Path.of("migrations");

    @Test
    void migrationsAndTwinDeclareTheSameQueries() {
        assertThat(CatalogCheck.differences(MIGRATIONS)).isEmpty();
    }

    @Test
    void parsesEveryStatement() {
        Migrations.Result r = Migrations.read(MIGRATIONS);
        assertThat(r.problems()).isEmpty();
        assertThat(r.queries().keySet()).containsExactly("cart_events_validated", "cart_events_enriched",
                "cart_route_checkout_funnel", "cart_route_abandonment_signals", "cart_route_high_value_carts",
                "user_profile_last_seen", "user_profile_purchases", "cart_route_by_store",
                "user_profile_purchase_history");
    }

    @Test
    void aChangedPartitionByFails(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Path byStore = dir.resolve("V000004__route_by_store.sql");
        Files.writeString(byStore, Files.readString(byStore).replace("PARTITION BY `storeId`", "PARTITION BY `sessionId`"));
        assertThat(CatalogCheck.differences(dir)).anySatisfy(d ->
                assertThat(d).contains("cart_route_by_store: PARTITION/GROUP BY differs"));
    }

    @Test
    void aRouteOnlyInTheMigrationsFails(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Files.writeString(dir.resolve("V000005__new_route.sql"), """
                CREATE STREAM cart_route_viewers WITH (KAFKA_TOPIC='cart-route-viewers', VALUE_FORMAT='JSON') AS
                SELECT * FROM cart_events_enriched WHERE `type` = 'cart.viewed' EMIT CHANGES;
                """);
        assertThat(CatalogCheck.differences(dir)).anySatisfy(d ->
                assertThat(d).contains("cart_route_viewers is in the migrations but not in the embedded twin"));
    }

    @Test
    void aChangedConditionFails(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Path routes = dir.resolve("V000002__route_cart_events.sql");
        Files.writeString(routes, Files.readString(routes).replace(">= 250", ">= 500"));
        assertThat(CatalogCheck.differences(dir)).anySatisfy(d ->
                assertThat(d).contains("cart_route_high_value_carts: WHERE differs"));
    }

    @Test
    void anUnknownFunctionFails(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Path enrich = dir.resolve("V000001__enrich_cart_events.sql");
        Files.writeString(enrich, Files.readString(enrich).replace("PROCESSING_META()", "GEO_IP(`userId`)"));
        List<String> diffs = CatalogCheck.differences(dir);
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("function GEO_IP is neither"));
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("UDF PROCESSING_META is run by the twin but called by no migration"));
    }

    @Test
    void aChangedTopicOrColumnFails(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Path enrich = dir.resolve("V000001__enrich_cart_events.sql");
        Files.writeString(enrich, Files.readString(enrich)
                .replace("KAFKA_TOPIC='cart-events-enriched'", "KAFKA_TOPIC='cart-events-enriched-v2'")
                .replace("`previousQuantity` INT,", ""));
        List<String> diffs = CatalogCheck.differences(dir);
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("cart_events_enriched: KAFKA_TOPIC differs"));
        assertThat(diffs).anySatisfy(d -> assertThat(d).contains("cart_events_validated: columns differs"));
    }

    @Test
    void aDroppedQueryFails(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Files.writeString(dir.resolve("V000005__drop.sql"), "DROP STREAM cart_route_high_value_carts;\n");
        assertThat(CatalogCheck.differences(dir)).anySatisfy(d ->
                assertThat(d).contains("cart_route_high_value_carts is in the embedded twin (QueryCatalog) but not in the migrations"));
    }

    @Test
    void fileNamesFollowTheMigrationsLayout(@TempDir Path dir) throws IOException {
        copyMigrations(dir);
        Files.writeString(dir.resolve("V7__bad.sql"), "");
        assertThat(CatalogCheck.differences(dir)).anySatisfy(d -> assertThat(d).contains("not a ksql-migrations file name"));
    }

    static void copyMigrations(Path dir) throws IOException {
        try (var files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }
}
