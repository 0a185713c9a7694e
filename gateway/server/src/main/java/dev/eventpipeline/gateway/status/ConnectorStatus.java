package dev.eventpipeline.gateway.status;

import java.util.List;

/** A connector as Connect reports it, with the full trace of any failed task. */
public record ConnectorStatus(String name, String type, String connectorClass, String state, String trace,
                              List<Task> tasks) {
    public record Task(int id, String state, String workerId, String trace) {
    }

    public boolean healthy() {
        return "RUNNING".equals(state) && !tasks.isEmpty() && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
    }
}
