package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.CachedLookup;

import java.util.Map;

/** USER_PROFILE: the cached Redis profile of a user; null for anonymous or unknown users and on outage. */
public final class UserProfileFunction {
    private final CachedLookup lookup;

    /** @param lookup null when no Redis is configured */
    public UserProfileFunction(CachedLookup lookup) {
        this.lookup = lookup;
    }

    public UserProfile apply(String userId) {
        if (lookup == null || Fields.blank(userId)) {
            return null;
        }
        Map<String, String> hash = lookup.get(UserProfile.KEY_PREFIX + userId);
        return UserProfile.fromHash(hash);
    }
}
