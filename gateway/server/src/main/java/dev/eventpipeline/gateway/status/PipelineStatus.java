package dev.eventpipeline.gateway.status;

import dev.eventpipeline.gateway.alert.Alert;
import dev.eventpipeline.gateway.deadletter.DeadLetterStats;
import dev.eventpipeline.gateway.health.HealthReport;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One view of the pipeline for operators: dependency health, every connector and task (with the
 * trace of any failure), records held per contract topic, and lag per sink consumer group.
 *
 * @param problems          human-readable reasons the pipeline is not fully healthy (empty when it is)
 * @param deadLetters       records retained in the DLQ topic
 * @param deadLetterCounts  DLQ records by classification and reason code, and arrivals per minute
 * @param alerts            alerts firing now (as of the last rule evaluation)
 */
public record PipelineStatus(Instant checkedAt, String state, List<String> problems, HealthReport health,
                             List<ConnectorStatus> connectors, Map<String, Long> topicRecords,
                             Map<String, Map<String, Long>> consumerLag, long deadLetters,
                             DeadLetterStats.Counts deadLetterCounts, List<Alert> alerts) {
}
