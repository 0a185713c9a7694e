package dev.eventpipeline.embedded.clickhouse;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseConfigTest {
    private final ClickHouseConfig config = new ClickHouseConfig(Path.of("/srv/ch"), 18123, 19000);

    @Test
    void rendersWellFormedConfigWithEverythingUnderTheWorkDir() throws Exception {
        Document doc = parse(config.renderConfig());

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("yandex");
        assertThat(text(doc, "http_port")).isEqualTo("18123");
        assertThat(text(doc, "tcp_port")).isEqualTo("19000");
        assertThat(text(doc, "listen_host")).isEqualTo("127.0.0.1");
        assertThat(doc.getElementsByTagName("listen_host").getLength()).isEqualTo(1);
        assertThat(text(doc, "path")).isEqualTo("/srv/ch/data/");
        assertThat(text(doc, "tmp_path")).isEqualTo("/srv/ch/tmp/");
        assertThat(text(doc, "user_files_path")).isEqualTo("/srv/ch/user_files/");
        assertThat(text(doc, "users_config")).isEqualTo("/srv/ch/users.xml");
        assertThat(text(doc, "log")).isEqualTo("/srv/ch/log/clickhouse-server.log");
        assertThat(text(doc, "errorlog")).isEqualTo("/srv/ch/log/clickhouse-server.err.log");
        assertThat(text(doc, "level")).isEqualTo("warning");
        assertThat(text(doc, "timezone")).isEqualTo("UTC");
        assertThat(doc.getElementsByTagName("interserver_http_port").getLength()).isZero();
    }

    @Test
    void rendersUsersWithLoopbackOnlyDefaultUser() throws Exception {
        Document doc = parse(config.renderUsers());

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("yandex");
        assertThat(doc.getElementsByTagName("ip").item(0).getTextContent()).isEqualTo("127.0.0.1");
        assertThat(doc.getElementsByTagName("ip").item(1).getTextContent()).isEqualTo("::1");
        assertThat(text(doc, "password")).isEmpty();
    }

    @Test
    void escapesPathsForXml() throws Exception {
        ClickHouseConfig odd = new ClickHouseConfig(Path.of("/tmp/a&b<c>"), 1, 2);

        assertThat(text(parse(odd.renderConfig()), "path")).isEqualTo("/tmp/a&b<c>/data/");
    }

    @Test
    void relativeWorkDirBecomesAbsolute() {
        ClickHouseConfig relative = new ClickHouseConfig(Path.of("target/ch"), 1, 2);

        assertThat(relative.pidFile()).isAbsolute();
        assertThat(relative.pidFile().getFileName().toString()).isEqualTo("clickhouse.pid");
    }

    @Test
    void rejectsBadPorts() {
        assertThatThrownBy(() -> new ClickHouseConfig(Path.of("/x"), 0, 9000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> new ClickHouseConfig(Path.of("/x"), 9000, 9000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent();
    }
}
