package dev.eventpipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.eventpipeline.contract.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FastMinimumTest {
    /** The library as shipped, configured as SchemaCompiler is but without the shortcut. */
    static final com.networknt.schema.SchemaRegistry PLAIN = com.networknt.schema.SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build()));

    static JsonNode json(String s) throws Exception {
        return JsonMapper.get().readTree(s);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 | 0.0", "0 | 0.01", "0 | -0.01", "0 | -0.0", "0 | 5", "0 | -5", "0 | 1e-320", "0 | -1e-320",
            "1 | 1.0", "1 | 0.9999999999999999", "1 | 1.0000000000000002", "1 | 2", "1 | 0",
            "0.1 | 0.1", "0.1 | 0.10000000000000002", "0.1 | 0.09999999999999999", "0.5 | 0.5", "0.5 | 0.5000000000000001",
            "0.1000000000000000055511151231257827021181583404541015625 | 0.1",
            "-3.25 | -3.25", "-3.25 | -3.2", "1e300 | 1e301", "1e300 | 1e299", "0 | \"text\""})
    void givesTheLibrarysVerdictAndMessages(String minimum, String value) throws Exception {
        String schemaText = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\","
                + "\"properties\":{\"v\":{\"minimum\":" + minimum + "}}}";
        JsonNode instance = json("{\"v\":" + value + "}");
        Schema fast = new SchemaCompiler().compile(json(schemaText));
        Schema plain = PLAIN.getSchema(json(schemaText));
        assertThat(fast.validate(instance, OutputFormat.BOOLEAN)).isEqualTo(plain.validate(instance, OutputFormat.BOOLEAN));
        List<String> fastErrors = fast.validate(instance).stream().map(Error::toString).toList();
        assertThat(fastErrors).isEqualTo(plain.validate(instance).stream().map(Error::toString).toList());
    }

    @Test
    void shortcutsOnlyThresholdsThatAreExactDoubles() throws Exception {
        assertThat(FastMinimum.exactThreshold(json("0"))).isEqualTo(0.0);
        assertThat(FastMinimum.exactThreshold(json("0.5"))).isEqualTo(0.5);
        assertThat(FastMinimum.exactThreshold(json("-3.25"))).isEqualTo(-3.25);
        assertThat(FastMinimum.exactThreshold(json("0.1"))).isNaN();
        assertThat(FastMinimum.exactThreshold(json("1e400"))).isNaN();
        assertThat(FastMinimum.exactThreshold(json("\"0\""))).isNaN();
    }

    @Test
    void theCompilerUsesIt() {
        assertThat(SchemaCompiler.DIALECT.getKeywords().get(FastMinimum.KEYWORD)).isInstanceOf(FastMinimum.class);
    }
}
