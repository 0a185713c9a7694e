package dev.eventpipeline.sink.clickhouse.schema;

import dev.eventpipeline.sink.clickhouse.client.ClickHouseException;
import dev.eventpipeline.sink.clickhouse.client.ClickHouseHttpClient;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse;
import dev.eventpipeline.sink.clickhouse.testing.FakeClickHouse.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigrationsTest {

    @Test
    void listsEveryMigrationFileInVersionOrder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/clickhouse/migrations"))) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).sorted().toList();

            assertThat(SchemaMigrations.FILES).isEqualTo(onDisk);
        }
        assertThat(SchemaMigrations.FILES).allMatch(f -> f.matches("V\\d{3}__[a-z0-9_]+\\.sql"));
    }

    @Test
    void statementsAreIdempotentAndUseTheConfiguredDatabase() {
        List<SchemaMigrations.Statement> statements = new SchemaMigrations("analytics").statements();

        assertThat(statements).hasSize(5);
        assertThat(statements.get(0).sql()).isEqualTo("CREATE DATABASE IF NOT EXISTS `analytics`");
        assertThat(statements.get(1).sql())
                .startsWith("CREATE TABLE IF NOT EXISTS `analytics`.`events_raw`")
                .contains("ENGINE = ReplacingMergeTree(received_at)", "PARTITION BY toYYYYMM(occurred_at)",
                        "ORDER BY event_id", "inserted_at     DateTime('UTC') DEFAULT now()")
                .doesNotContain("${database}", "--", ";");
        assertThat(statements.get(2).sql()).startsWith("CREATE TABLE IF NOT EXISTS `analytics`.`events_processed`");
        assertThat(statements.get(3).sql()).startsWith("CREATE TABLE IF NOT EXISTS `analytics`.`events_errors`");
        assertThat(statements.get(4).sql()).isEqualTo(
                "ALTER TABLE `analytics`.`events_raw` MODIFY TTL occurred_at + INTERVAL 18 MONTH");
        assertThat(statements).allMatch(s -> s.sql().contains("IF NOT EXISTS") || s.sql().contains("MODIFY TTL"));
        assertThat(statements).noneMatch(s -> s.sql().contains("${database}"));
    }

    @Test
    void ttlFormIsLeftOutOnServersWithoutTtl() {
        SchemaMigrations migrations = new SchemaMigrations("db");

        assertThat(migrations.statements("18.16.1")).hasSize(4).noneMatch(s -> s.sql().contains("TTL"));
        assertThat(migrations.statements("24.8.4.13")).hasSize(5).last()
                .satisfies(s -> assertThat(s.sql()).contains("MODIFY TTL"));
        assertThat(SchemaMigrations.compareVersions("19.6", "19.6.0")).isZero();
        assertThat(SchemaMigrations.compareVersions("19.16.1", "19.6")).isPositive();
    }

    @Test
    void eventsRawHasEveryColumnOfTheContract() {
        String ddl = new SchemaMigrations("db").statements().get(1).sql();

        assertThat(ddl).containsPattern("event_id\\s+String,")
                .containsPattern("type\\s+String,")
                .containsPattern("schema_version\\s+UInt32,")
                .containsPattern("occurred_at\\s+DateTime\\('UTC'\\),")
                .containsPattern("user_id\\s+Nullable\\(String\\),")
                .containsPattern("session_id\\s+String,")
                .containsPattern("store_id\\s+String,")
                .containsPattern("payload\\s+String,")
                .containsPattern("raw\\s+String,")
                .containsPattern("status\\s+String,")
                .containsPattern("received_at\\s+DateTime\\('UTC'\\),")
                .containsPattern("ingest_task\\s+String,")
                .containsPattern("kafka_topic\\s+String,")
                .containsPattern("kafka_partition\\s+UInt32,")
                .containsPattern("kafka_offset\\s+UInt64,");
    }

    @Test
    void splitDropsCommentsAndSplitsAtLineEndingSemicolons() {
        List<String> parts = SchemaMigrations.split("""
                -- a comment; with a semicolon
                CREATE DATABASE x;

                  -- indented comment
                CREATE TABLE y (a String DEFAULT 'p;q')
                ENGINE = Memory;
                """);

        assertThat(parts).containsExactly("CREATE DATABASE x",
                "CREATE TABLE y (a String DEFAULT 'p;q')\nENGINE = Memory");
    }

    @Test
    void rejectsUnsafeDatabaseNames() {
        assertThatThrownBy(() -> new SchemaMigrations("a`b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliesEveryStatementInOrder() throws Exception {
        try (FakeClickHouse server = new FakeClickHouse()) {
            new SchemaMigrations("db").apply(client(server));

            List<String> expected = new java.util.ArrayList<>(List.of("SELECT version()"));
            new SchemaMigrations("db").statements("18.16.1").forEach(s -> expected.add(s.sql()));
            assertThat(server.requests()).extracting(FakeClickHouse.Request::body)
                    .containsExactlyElementsOf(expected); // 18.16: no TTL statement
        }
    }

    @Test
    void failureNamesTheFileAndStatement() throws Exception {
        try (FakeClickHouse server = new FakeClickHouse()) {
            server.respond(r -> r.body().startsWith("CREATE TABLE")
                    ? new Response(500, "Code: 36, e.displayText() = DB::Exception: bad engine") : Response.ok(""));

            assertThatThrownBy(() -> new SchemaMigrations("db").apply(client(server)))
                    .isInstanceOfSatisfying(ClickHouseException.class, e -> {
                        assertThat(e.getMessage()).contains("V001__events_raw.sql statement 2", "bad engine");
                        assertThat(e.code()).isEqualTo(36);
                        assertThat(e.retriable()).isFalse();
                    });
        }
    }

    private static ClickHouseHttpClient client(FakeClickHouse server) {
        return new ClickHouseHttpClient(URI.create(server.url()), "default", "", Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
}
