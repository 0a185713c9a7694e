package dev.eventpipeline.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PluginVersionTest {
    @Test
    void readsTheFilteredVersionNextToTheClass() {
        // src/test/resources/dev/eventpipeline/contract/version.properties: version=1.2.3
        assertThat(PluginVersion.of(PluginVersionTest.class)).isEqualTo("1.2.3");
    }

    @Test
    void unknownWithoutTheResource() {
        assertThat(PluginVersion.of(String.class)).isEqualTo("unknown");
    }
}
