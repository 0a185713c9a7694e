package dev.eventpipeline.contract.docs;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReferenceTest {
    static final ConfigDef DEF = new ConfigDef()
            .define("listener.port", ConfigDef.Type.INT, 8088, ConfigDef.Range.between(1, 65535),
                    ConfigDef.Importance.HIGH, "Port | to listen on.", "Listener", 1, ConfigDef.Width.SHORT, "Port")
            .define("api.keys", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.HIGH,
                    "Accepted keys.", "Security", 1, ConfigDef.Width.LONG, "Keys")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH, "Topic.");

    @Test
    void rendersGroupsRowsAndEscapesPipes() {
        String md = ConfigReference.render(DEF);
        assertThat(md).contains("### Listener", "### Security", "### General");
        assertThat(md).contains("| `listener.port` | int | `8088` | [1,...,65535] | high | Port \\| to listen on. |");
        assertThat(md).contains("| `topic` | string | (required) |");
        assertThat(md).contains("| `api.keys` | password | null |");
    }

    @Test
    void detectsAndRewritesAStaleSection(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n" + ConfigReference.START + "\nold\n" + ConfigReference.END + "\ntail\n");
        assertThat(ConfigReference.isCurrent(readme, DEF)).isFalse();
        ConfigReference.write(readme, DEF);
        assertThat(ConfigReference.isCurrent(readme, DEF)).isTrue();
        assertThat(Files.readString(readme)).startsWith("# x\n").endsWith("\ntail\n").contains("listener.port");
    }
}
