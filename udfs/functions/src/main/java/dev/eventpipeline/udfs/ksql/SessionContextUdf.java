package dev.eventpipeline.udfs.ksql;

import dev.eventpipeline.udfs.FunctionConfig;
import dev.eventpipeline.udfs.enrich.SessionContext;
import dev.eventpipeline.udfs.enrich.SessionTracker;
import io.confluent.ksql.function.udf.Udf;
import io.confluent.ksql.function.udf.UdfDescription;
import io.confluent.ksql.function.udf.UdfParameter;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.data.Struct;

import java.util.Map;

@UdfDescription(name = SessionContextUdf.NAME, author = "event-pipeline", category = "ENRICHMENT",
        description = "Position of the event in its session (1 = first), session start, ms since start and since "
                + "the previous event (null for the first). Stateful per query instance, in memory (bounded LRU): "
                + "relies on records keyed by sessionId. A session idle longer than the idle timeout restarts at 1. "
                + "Config: ksql.functions.session_context.idle.timeout.ms (1800000), "
                + "ksql.functions.session_context.max.sessions (200000).")
public class SessionContextUdf implements Configurable {
    public static final String NAME = "session_context";
    public static final String EXAMPLE = "SESSION_CONTEXT('s-7', '2026-11-27T08:00:05Z') => {\"position\":2,"
            + "\"startedAt\":\"2026-11-27T08:00:00Z\",\"msSinceStart\":5000,\"msSincePrevious\":5000}";

    private SessionTracker tracker;

    public SessionContextUdf() {
        configure(Map.of());
    }

    @Override
    public void configure(Map<String, ?> props) {
        FunctionConfig config = new FunctionConfig(props);
        tracker = new SessionTracker(
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.MAX_SESSIONS), 200_000),
                config.positiveLong(FunctionConfig.key(NAME, FunctionConfig.IDLE_TIMEOUT_MS), 1_800_000));
    }

    @Udf(description = "Session context of the event, or null when sessionId/occurredAt is missing or malformed.",
            schema = Schemas.SESSION_SQL)
    public Struct sessionContext(
            @UdfParameter(value = "sessionId", description = "the envelope's sessionId") String sessionId,
            @UdfParameter(value = "occurredAt", description = "the envelope's occurredAt (ISO-8601 UTC)") String occurredAt) {
        SessionContext c = tracker.next(sessionId, occurredAt);
        if (c == null) {
            return null;
        }
        return new Struct(Schemas.SESSION)
                .put("position", c.position())
                .put("startedAt", c.startedAt())
                .put("msSinceStart", c.msSinceStart())
                .put("msSincePrevious", c.msSincePrevious());
    }
}
