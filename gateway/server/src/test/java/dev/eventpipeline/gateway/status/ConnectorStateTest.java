package dev.eventpipeline.gateway.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectorStateTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void runningOnlyWhenConnectorAndEveryTaskRun() throws Exception {
        ConnectorState running = ConnectorState.parse(JSON.readTree("""
                {"name":"a","connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"RUNNING"},{"id":1,"state":"RUNNING"}]}"""));
        assertThat(running.isRunning()).isTrue();
        assertThat(running.isFailed()).isFalse();
        assertThat(running).hasToString("RUNNING, tasks [0:RUNNING 1:RUNNING]");

        ConnectorState noTasksYet = ConnectorState.parse(JSON.readTree("""
                {"connector":{"state":"RUNNING"},"tasks":[]}"""));
        assertThat(noTasksYet.isRunning()).isFalse();

        ConnectorState oneUnassigned = ConnectorState.parse(JSON.readTree("""
                {"connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"RUNNING"},{"id":1,"state":"UNASSIGNED"}]}"""));
        assertThat(oneUnassigned.isRunning()).isFalse();
    }

    @Test
    void failedTaskCarriesTheFirstLineOfItsTrace() throws Exception {
        ConnectorState failed = ConnectorState.parse(JSON.readTree("""
                {"connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"FAILED",
                 "trace":"org.apache.kafka.connect.errors.ConnectException: boom\\n\\tat x.y(Z.java:1)"}]}"""));
        assertThat(failed.isFailed()).isTrue();
        assertThat(failed.trace()).isEqualTo("task 0: org.apache.kafka.connect.errors.ConnectException: boom");
        assertThat(failed.toString()).endsWith(" - task 0: org.apache.kafka.connect.errors.ConnectException: boom");
    }

    @Test
    void parsesExpandStatusListing() throws Exception {
        Map<String, ConnectorState> all = ConnectorState.parseAll(JSON.readTree("""
                {"b":{"status":{"connector":{"state":"PAUSED"},"tasks":[{"id":0,"state":"PAUSED"}]}},
                 "a":{"status":{"connector":{"state":"RUNNING"},"tasks":[{"id":0,"state":"RUNNING"}]}}}"""));
        assertThat(all.keySet()).containsExactly("a", "b");
        assertThat(all.get("b").state()).isEqualTo("PAUSED");
    }
}
