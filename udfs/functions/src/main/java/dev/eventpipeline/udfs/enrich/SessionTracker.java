package dev.eventpipeline.udfs.enrich;

import java.time.Instant;

/**
 * SESSION_CONTEXT: per-session state in memory (bounded LRU), keyed by session id. Correct because
 * records are keyed by sessionId, so one session's events arrive in order on one partition and one
 * task. A session idle for longer than the idle timeout starts again at position 1. State is not
 * persisted: after a restart, sessions in flight start again at position 1 (both in ksqlDB and in
 * the embedded runtime).
 */
public final class SessionTracker {
    private static final class State {
        final long startedAtMs;
        final String startedAt;
        long lastMs;
        long position;

        State(long startedAtMs, String startedAt) {
            this.startedAtMs = startedAtMs;
            this.startedAt = startedAt;
        }
    }

    private final BoundedLru<String, State> sessions;
    private final long idleTimeoutMs;

    public SessionTracker(long maxSessions, long idleTimeoutMs) {
        this.sessions = new BoundedLru<>(maxSessions);
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** Records one event of the session; null when the session id or the time is missing or malformed. */
    public SessionContext next(String sessionId, String occurredAt) {
        if (Fields.blank(sessionId)) {
            return null;
        }
        Instant at = Fields.instant(occurredAt);
        if (at == null) {
            return null;
        }
        long t = at.toEpochMilli();
        synchronized (sessions) {
            State s = sessions.get(sessionId);
            if (s == null || t - s.lastMs > idleTimeoutMs) {
                s = new State(t, at.toString());
                s.lastMs = t;
                s.position = 1;
                sessions.put(sessionId, s);
                return new SessionContext(1, s.startedAt, 0, null);
            }
            long sincePrevious = Math.max(0, t - s.lastMs);
            s.position++;
            s.lastMs = Math.max(s.lastMs, t);
            return new SessionContext(s.position, s.startedAt, Math.max(0, t - s.startedAtMs), sincePrevious);
        }
    }

    public int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }
}
