package dev.eventpipeline.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VersionTest {
    @Test
    void isTheFilteredProjectVersion() {
        assertThat(Version.get()).isNotBlank().doesNotContain("${").isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
