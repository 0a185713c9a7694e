package dev.eventpipeline.ksql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fixture in {@code ksql/fixtures/} (ksql-test-runner format) against the embedded twin.
 * {@code -Dfixtures.write=true} rewrites the expected outputs from the twin (review the diff!).
 */
class FixtureTest {
    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> dirs = Files.list(FixtureRunner.FIXTURES)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("input.json"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void twinProducesTheExpectedOutputs(Path fixture) throws IOException {
        ArrayNode actual = FixtureRunner.run(fixture);
        Path expectedFile = fixture.resolve("output.json");
        if (Boolean.getBoolean("fixtures.write")) {
            ObjectNode doc = FixtureRunner.JSON.createObjectNode();
            doc.set("outputs", actual);
            FixtureRunner.write(expectedFile, doc);
        }
        JsonNode expected = FixtureRunner.JSON.readTree(expectedFile.toFile()).get("outputs");
        assertThat(actual.size()).as("number of output records of " + fixture).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("output record " + i + " of " + fixture).isEqualTo(expected.get(i));
        }
    }

    @Test
    void everyQueryIsCoveredByAFixture() throws IOException {
        Set<String> topics = new HashSet<>();
        for (Path f : fixtures().toList()) {
            FixtureRunner.JSON.readTree(f.resolve("output.json").toFile()).get("outputs")
                    .forEach(o -> topics.add(o.get("topic").asText()));
        }
        List<String> queryTopics = QueryCatalog.queries().stream().map(QueryDef::topic)
                .filter(t -> !t.equals(dev.eventpipeline.contract.Topics.VALIDATED)).toList();
        assertThat(topics).containsAll(queryTopics);
    }
}
