package dev.eventpipeline.udfs.enrich;

import java.util.Map;

/**
 * The user profile kept in Redis at {@code user_profile:{userId}} (a hash). Fields: {@code lastSeen}
 * (ISO instant, written by the pipeline), {@code purchaseCount}, {@code lastPurchaseAt} and
 * {@code purchaseHistory} (the purchase history, written by the pipeline from completed orders),
 * {@code preferences} (a JSON object, written by other systems). Derived from the purchase
 * history: {@code lifetimeValue} (EUR) and {@code segment} ({@link CustomerValue}). Malformed fields
 * read as null.
 */
public record UserProfile(String lastSeen, Long purchaseCount, String lastPurchaseAt, Map<String, String> preferences,
                          Double lifetimeValue, String segment) {
    public static final String KEY_PREFIX = "user_profile:";

    public static UserProfile fromHash(Map<String, String> hash, CustomerValue customerValue) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        String lastSeen = hash.get("lastSeen");
        String lastPurchaseAt = hash.get("lastPurchaseAt");
        Long count = Fields.longValue(hash.get("purchaseCount"));
        Long validCount = count == null || count < 0 ? null : count;
        // a present but malformed count must not read as "no purchases"
        boolean countMalformed = hash.get("purchaseCount") != null && validCount == null;
        CustomerValue.Derived derived = countMalformed
                ? CustomerValue.Derived.UNKNOWN
                : customerValue.derive(validCount, hash.get(PurchaseHistory.FIELD));
        return new UserProfile(
                Fields.instant(lastSeen) == null ? null : lastSeen,
                validCount,
                Fields.instant(lastPurchaseAt) == null ? null : lastPurchaseAt,
                Fields.jsonObjectAsStrings(hash.get("preferences")),
                derived.lifetimeValue(),
                derived.segment());
    }
}
