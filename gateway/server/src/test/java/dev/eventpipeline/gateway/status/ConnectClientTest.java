package dev.eventpipeline.gateway.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectClientTest {
    @Test
    void parsesStatusAndInfoWithFullTraces() throws Exception {
        List<ConnectorStatus> all = ConnectClient.parse(new ObjectMapper().readTree("""
                {"sink":{"status":{"name":"sink","connector":{"state":"RUNNING","worker_id":"w:8083"},
                   "tasks":[{"id":0,"state":"FAILED","worker_id":"w:8083","trace":"org.x.Boom: no\\n\\tat a.b(C.java:1)"}],"type":"sink"},
                  "info":{"name":"sink","config":{"connector.class":"dev.X"},"tasks":[],"type":"sink"}},
                 "a-source":{"status":{"connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"RUNNING"}],"type":"source"},
                  "info":{"config":{"connector.class":"dev.Y"},"type":"source"}}}"""));
        assertThat(all).extracting(ConnectorStatus::name).containsExactly("a-source", "sink");
        ConnectorStatus sink = all.get(1);
        assertThat(sink.type()).isEqualTo("sink");
        assertThat(sink.connectorClass()).isEqualTo("dev.X");
        assertThat(sink.healthy()).isFalse();
        assertThat(sink.tasks().get(0).trace()).isEqualTo("org.x.Boom: no\n\tat a.b(C.java:1)");
        assertThat(all.get(0).healthy()).isTrue();
    }
}
