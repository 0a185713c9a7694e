package dev.eventpipeline.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One connector's state as Connect's status endpoint reports it, with the first line of any
 * failure trace.
 *
 * @param tasks task id → state
 */
public record ConnectorState(String state, SortedMap<Integer, String> tasks, String trace) {

    public boolean isRunning() {
        return "RUNNING".equals(state) && !tasks.isEmpty() && tasks.values().stream().allMatch("RUNNING"::equals);
    }

    public boolean isFailed() {
        return "FAILED".equals(state) || tasks.containsValue("FAILED");
    }

    /** Parses the body of {@code GET /connectors?expand=status}. */
    public static Map<String, ConnectorState> parseAll(JsonNode root) {
        Map<String, ConnectorState> states = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            states.put(e.getKey(), parse(e.getValue().path("status")));
        }
        return states;
    }

    /** Parses the body of {@code GET /connectors/:name/status}. */
    public static ConnectorState parse(JsonNode status) {
        SortedMap<Integer, String> tasks = new TreeMap<>();
        StringBuilder trace = new StringBuilder(firstLine(status.path("connector").path("trace").asText("")));
        for (JsonNode t : status.path("tasks")) {
            int id = t.path("id").asInt();
            tasks.put(id, t.path("state").asText("UNKNOWN"));
            String taskTrace = firstLine(t.path("trace").asText(""));
            if (!taskTrace.isEmpty()) {
                trace.append(trace.length() == 0 ? "" : "; ").append("task ").append(id).append(": ").append(taskTrace);
            }
        }
        return new ConnectorState(status.path("connector").path("state").asText("UNKNOWN"), tasks, trace.toString());
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(state).append(", tasks [");
        tasks.forEach((id, s) -> sb.append(id).append(':').append(s).append(' '));
        if (!tasks.isEmpty()) {
            sb.setLength(sb.length() - 1);
        }
        sb.append(']');
        if (!trace.isEmpty()) {
            sb.append(" - ").append(trace);
        }
        return sb.toString();
    }
}
