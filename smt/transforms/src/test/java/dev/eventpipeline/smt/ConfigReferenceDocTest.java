package dev.eventpipeline.smt;

import dev.eventpipeline.contract.docs.ConfigReference;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration reference is generated from the two ConfigDefs; a stale README fails
 * the build. Regenerate with {@code mvn -f smt/pom.xml test -Dtest=ConfigReferenceDocTest -Dupdate.config.reference=true}.
 */
class ConfigReferenceDocTest {
    static final Path README = Path.of("README.md");

    /** Both transforms' keys in one ConfigDef, groups prefixed with the transform name. */
    static ConfigDef combined() {
        ConfigDef out = new ConfigDef();
        add(out, "ValidateEvent", ValidateEvent.CONFIG_DEF);
        add(out, "DeduplicateEvent", DeduplicateEvent.CONFIG_DEF);
        return out;
    }

    private static void add(ConfigDef out, String transform, ConfigDef def) {
        for (ConfigDef.ConfigKey k : def.configKeys().values()) {
            out.define(new ConfigDef.ConfigKey(k.name, k.type, k.defaultValue, k.validator, k.importance, k.documentation,
                    transform + ": " + k.group, k.orderInGroup, k.width, k.displayName, k.dependents, k.recommender, k.internalConfig));
        }
    }

    @Test
    void readmeReferenceIsCurrent() throws Exception {
        if (Boolean.getBoolean("update.config.reference")) {
            ConfigReference.write(README, combined());
        }
        assertThat(ConfigReference.isCurrent(README, combined()))
                .as("README.md config reference is stale; run with -Dupdate.config.reference=true").isTrue();
    }
}
