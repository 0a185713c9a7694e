package dev.eventpipeline.gateway.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Filters of {@code GET /v1/deadletters}: {@code reason} (case-insensitive substring), {@code type}
 * (event type), {@code classification}, {@code since}/{@code until} (ISO-8601 instants) and
 * {@code limit} (1..1000, default 100). Bad values are rejected with the parameter's name.
 */
public record DeadLetterQuery(Optional<String> reason, Optional<String> type, Optional<String> classification,
                              Optional<Instant> since, Optional<Instant> until, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static DeadLetterQuery parse(Map<String, String> params) {
        for (String key : params.keySet()) {
            if (!java.util.Set.of("reason", "type", "classification", "since", "until", "limit").contains(key)) {
                throw new IllegalArgumentException("unknown parameter '" + key
                        + "'; use reason, type, classification, since, until, limit");
            }
        }
        Optional<String> classification = Optional.ofNullable(params.get("classification"))
                .map(c -> c.toLowerCase(Locale.ROOT));
        classification.ifPresent(c -> {
            if (!java.util.Set.of(DeadLetterClassifier.PERMANENT, DeadLetterClassifier.TRANSIENT, DeadLetterClassifier.PARKED).contains(c)) {
                throw new IllegalArgumentException("classification must be 'permanent', 'transient' or 'parked', got '" + c + "'");
            }
        });
        int limit = DEFAULT_LIMIT;
        if (params.containsKey("limit")) {
            try {
                limit = Integer.parseInt(params.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be an integer 1.." + MAX_LIMIT + ", got '" + params.get("limit") + "'");
            }
        }
        return new DeadLetterQuery(Optional.ofNullable(params.get("reason")).filter(s -> !s.isBlank()),
                Optional.ofNullable(params.get("type")).filter(s -> !s.isBlank()), classification,
                instant(params, "since"), instant(params, "until"), limit);
    }

    private static Optional<Instant> instant(Map<String, String> params, String key) {
        String value = params.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 instant such as 2026-11-27T08:00:00Z, got '" + value + "'");
        }
    }

    public boolean matches(DeadLetter d) {
        return reason.map(r -> d.reason() != null && d.reason().toLowerCase(Locale.ROOT).contains(r.toLowerCase(Locale.ROOT))).orElse(true)
                && type.map(t -> t.equals(d.eventType())).orElse(true)
                && classification.map(c -> c.equals(d.classification())).orElse(true)
                && since.map(s -> !d.timestamp().isBefore(s)).orElse(true)
                && until.map(u -> d.timestamp().isBefore(u)).orElse(true);
    }
}
