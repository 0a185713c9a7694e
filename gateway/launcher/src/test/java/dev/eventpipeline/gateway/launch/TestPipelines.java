package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.embedded.PortCheck;

import java.nio.file.Path;
import java.util.Optional;

/** Settings for an embedded pipeline in a test: its own work dir, free ports, local Redis and ClickHouse. */
final class TestPipelines {
    private TestPipelines() {
    }

    static PipelineSettings settings(Path workDir) {
        return new PipelineSettings(workDir,
                Path.of(System.getProperty("pipeline.plugins.dir", "target/plugins")).toAbsolutePath(),
                "127.0.0.1", PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(),
                PortCheck.freePort(), PortCheck.freePort(), PortCheck.freePort(), Optional.empty(), Optional.empty());
    }
}
