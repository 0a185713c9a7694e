package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.GuardedSource;
import dev.eventpipeline.udfs.lookup.InMemoryHashSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserProfileFunctionTest {
    final InMemoryHashSource redis = new InMemoryHashSource();
    final UserProfileFunction fn = new UserProfileFunction(new GuardedSource(redis, 1000), 60_000, 100);

    @Test
    void readsTheProfileHash() {
        redis.put("user_profile:u-1", Map.of("lastSeen", "2026-11-26T18:00:00Z", "purchaseCount", "3",
                "lastPurchaseAt", "2026-11-20T10:00:00Z", "preferences", "{\"newsletter\":true,\"tags\":[\"a\"]}"));
        UserProfile p = fn.apply("u-1");
        assertThat(p.lastSeen()).isEqualTo("2026-11-26T18:00:00Z");
        assertThat(p.purchaseCount()).isEqualTo(3L);
        assertThat(p.lastPurchaseAt()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(p.preferences()).containsEntry("newsletter", "true").containsEntry("tags", "[\"a\"]");
    }

    @Test
    void nullBlankAndUnknownUsersAreNull() {
        assertThat(fn.apply(null)).isNull();
        assertThat(fn.apply("  ")).isNull();
        assertThat(fn.apply("nobody")).isNull();
    }

    @Test
    void malformedFieldsReadAsNull() {
        redis.put("user_profile:u-2", Map.of("lastSeen", "yesterday", "purchaseCount", "-1",
                "lastPurchaseAt", "x", "preferences", "[not an object"));
        UserProfile p = fn.apply("u-2");
        assertThat(p).isEqualTo(new UserProfile(null, null, null, null));
        assertThat(UserProfile.fromHash(Map.of())).isNull();
        redis.put("user_profile:u-3", Map.of("purchaseCount", "many", "preferences", "[1,2]"));
        assertThat(fn.apply("u-3")).isEqualTo(new UserProfile(null, null, null, null));
    }

    @Test
    void noRedisConfiguredMeansNull() {
        assertThat(new UserProfileFunction(null, 1, 1).apply("u-1")).isNull();
    }

    @Test
    void lookupsAreCached() {
        redis.put("user_profile:u-1", Map.of("purchaseCount", "1"));
        fn.apply("u-1");
        fn.apply("u-1");
        fn.apply("unknown");
        fn.apply("unknown");
        assertThat(redis.calls()).isEqualTo(2);
    }
}
