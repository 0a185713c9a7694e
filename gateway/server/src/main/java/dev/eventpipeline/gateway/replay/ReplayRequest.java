package dev.eventpipeline.gateway.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.gateway.deadletter.DeadLetter;
import dev.eventpipeline.gateway.deadletter.DeadLetterQuery;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Body of {@code POST /v1/deadletters/replay}: which dead letters to replay. At least one selector
 * is required, so an empty body never replays the whole queue by accident.
 * <pre>{"eventIds": ["…"], "records": [{"partition": 0, "offset": 17}],
 *  "filter": {"reason": "…", "type": "…", "classification": "…", "since": "…", "until": "…"},
 *  "limit": 100, "dryRun": false}</pre>
 * Selectors combine with AND: {@code filter} narrows, {@code eventIds}/{@code records} pick.
 */
public record ReplayRequest(Set<String> eventIds, Set<String> records, DeadLetterQuery filter, boolean dryRun) {
    static final Set<String> FIELDS = Set.of("eventIds", "records", "filter", "limit", "dryRun");

    public static ReplayRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object: {\"eventIds\":[…]} and/or {\"records\":[{\"partition\",\"offset\"}]} and/or {\"filter\":{…}}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; use eventIds, records, filter, limit, dryRun");
            }
        }
        Set<String> ids = new HashSet<>();
        JsonNode idNode = body.path("eventIds");
        if (!idNode.isMissingNode()) {
            if (!idNode.isArray()) {
                throw new IllegalArgumentException("eventIds must be an array of strings");
            }
            idNode.forEach(n -> {
                if (!n.isTextual() || n.asText().isBlank()) {
                    throw new IllegalArgumentException("eventIds must be an array of non-empty strings, got " + n);
                }
                ids.add(n.asText());
            });
        }
        Set<String> records = new HashSet<>();
        JsonNode recNode = body.path("records");
        if (!recNode.isMissingNode()) {
            if (!recNode.isArray()) {
                throw new IllegalArgumentException("records must be an array of {\"partition\", \"offset\"}");
            }
            recNode.forEach(n -> {
                if (!n.path("partition").canConvertToInt() || !n.path("offset").canConvertToLong()
                        || !n.path("partition").isIntegralNumber() || !n.path("offset").isIntegralNumber()) {
                    throw new IllegalArgumentException("each record needs an integer partition and offset, got " + n);
                }
                records.add(n.path("partition").asInt() + "/" + n.path("offset").asLong());
            });
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode filter = body.path("filter");
        if (!filter.isMissingNode()) {
            if (!filter.isObject()) {
                throw new IllegalArgumentException("filter must be an object with reason, type, classification, since, until");
            }
            filter.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            if (params.containsKey("limit")) {
                throw new IllegalArgumentException("limit belongs at the top level of the body, not in filter");
            }
        }
        if (body.has("limit")) {
            params.put("limit", body.get("limit").asText());
        }
        if (ids.isEmpty() && records.isEmpty() && filter.isMissingNode()) {
            throw new IllegalArgumentException("select what to replay: eventIds, records and/or filter (an empty selection would replay everything)");
        }
        if (body.has("dryRun") && !body.get("dryRun").isBoolean()) {
            throw new IllegalArgumentException("dryRun must be true or false");
        }
        return new ReplayRequest(Set.copyOf(ids), Set.copyOf(records), DeadLetterQuery.parse(params),
                body.path("dryRun").asBoolean(false));
    }

    /** True when the letter is one of the picked ones (or nothing was picked by id or position). */
    public boolean picks(DeadLetter d) {
        boolean byId = eventIds.isEmpty() || d.eventId() != null && eventIds.contains(d.eventId());
        boolean byRecord = records.isEmpty() || records.contains(d.partition() + "/" + d.offset());
        return byId && byRecord;
    }
}
