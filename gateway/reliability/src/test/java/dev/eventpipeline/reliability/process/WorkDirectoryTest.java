package dev.eventpipeline.reliability.process;

import dev.eventpipeline.gateway.launch.PluginInstaller;
import dev.eventpipeline.reliability.Args;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkDirectoryTest {
    @TempDir
    Path dir;

    /** A run's leftovers: nested directories and files, as broker and ClickHouse leave them. */
    private static void fill(Path work) throws Exception {
        Files.createDirectories(work.resolve("kafka/topic-0"));
        Files.writeString(work.resolve("kafka/topic-0/00000.log"), "x".repeat(1000));
        Files.createDirectories(work.resolve("logs"));
        Files.writeString(work.resolve("logs/connect.log"), "log");
    }

    @Test
    void aTemporaryDirectoryIsDeletedAfterAGoodRun() throws Exception {
        WorkDirectory work = WorkDirectory.of(Args.parse(new String[]{"all"}), "work-test");
        fill(work.path());

        work.finish(true);

        assertThat(work.path()).doesNotExist();
    }

    @Test
    void aTemporaryDirectoryIsKeptAfterAFailedRunOrWhenAskedTo() throws Exception {
        WorkDirectory failed = WorkDirectory.of(Args.parse(new String[0]), "work-test");
        WorkDirectory kept = WorkDirectory.of(Args.parse(new String[]{"--keep-work", "true"}), "work-test");
        try {
            fill(failed.path());
            fill(kept.path());

            failed.finish(false);
            kept.finish(true);

            assertThat(failed.path().resolve("logs/connect.log")).exists();
            assertThat(kept.path().resolve("kafka/topic-0/00000.log")).exists();
        } finally {
            PluginInstaller.deleteRecursively(failed.path());
            PluginInstaller.deleteRecursively(kept.path());
        }
    }

    @Test
    void aGivenDirectoryIsAlwaysKept() throws Exception {
        Path given = dir.resolve("mine");
        WorkDirectory work = WorkDirectory.of(Args.parse(new String[]{"--work", given.toString()}), "work-test");
        assertThat(work.path()).isEqualTo(given);
        fill(given);

        work.finish(true);

        assertThat(given.resolve("logs/connect.log")).exists();
    }
}
