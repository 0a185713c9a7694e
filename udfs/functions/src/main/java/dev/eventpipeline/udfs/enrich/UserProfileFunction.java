package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.CachedLookup;
import dev.eventpipeline.udfs.lookup.GuardedSource;

/** USER_PROFILE: the cached Redis profile of a user; null for anonymous or unknown users and on outage. */
public final class UserProfileFunction {
    private final CachedLookup<UserProfile> lookup;

    /**
     * @param source null when no Redis is configured
     * @param customerValue derives lifetime value and segment once per cache load, not per event
     */
    public UserProfileFunction(GuardedSource source, long ttlMs, long maxEntries, CustomerValue customerValue) {
        this.lookup = source == null ? null
                : new CachedLookup<>(source, ttlMs, maxEntries, hash -> UserProfile.fromHash(hash, customerValue));
    }

    public UserProfile apply(String userId) {
        if (lookup == null || Fields.blank(userId)) {
            return null;
        }
        return lookup.get(UserProfile.KEY_PREFIX + userId);
    }
}
