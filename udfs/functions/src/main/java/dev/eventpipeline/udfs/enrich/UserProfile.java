package dev.eventpipeline.udfs.enrich;

import java.util.Map;

/**
 * The user profile kept in Redis at {@code user_profile:{userId}} (a hash). Fields: {@code lastSeen}
 * (ISO instant, written by the pipeline), {@code purchaseCount} and {@code lastPurchaseAt} (the
 * purchase history, written by the pipeline from completed orders), {@code preferences} (a JSON
 * object, written by other systems). Malformed fields read as null.
 */
public record UserProfile(String lastSeen, Long purchaseCount, String lastPurchaseAt, Map<String, String> preferences) {
    public static final String KEY_PREFIX = "user_profile:";

    public static UserProfile fromHash(Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        String lastSeen = hash.get("lastSeen");
        String lastPurchaseAt = hash.get("lastPurchaseAt");
        Long count = Fields.longValue(hash.get("purchaseCount"));
        return new UserProfile(
                Fields.instant(lastSeen) == null ? null : lastSeen,
                count == null || count < 0 ? null : count,
                Fields.instant(lastPurchaseAt) == null ? null : lastPurchaseAt,
                Fields.jsonObjectAsStrings(hash.get("preferences")));
    }
}
