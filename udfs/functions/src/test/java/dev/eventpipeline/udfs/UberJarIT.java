package dev.eventpipeline.udfs;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/** The ksqlDB extension jar (after package): our classes plus relocated libraries, nothing the server provides. */
@Tag("integration")
class UberJarIT {
    @Test
    void shipsOnlyOurPackagesAndRelocatedLibraries() throws IOException {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-ksqldb.jar")).findFirst().orElseThrow();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> names = file.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
            assertThat(names).isNotEmpty();
            assertThat(names).allMatch(n -> n.startsWith("dev/eventpipeline/"), "only dev/eventpipeline/** classes");
            assertThat(names).noneMatch(n -> n.contains("io/confluent") || n.contains("org/apache/kafka"));
            assertThat(names).contains("dev/eventpipeline/udfs/ksql/UserProfileUdf.class",
                    "dev/eventpipeline/udfs/shaded/redis/clients/jedis/JedisPooled.class",
                    "dev/eventpipeline/udfs/shaded/caffeine/cache/Caffeine.class",
                    "dev/eventpipeline/udfs/shaded/jackson/databind/ObjectMapper.class");
            assertThat(file.stream().map(ZipEntry::getName)).noneMatch(n -> n.startsWith("META-INF/versions/"));
        }
    }
}
