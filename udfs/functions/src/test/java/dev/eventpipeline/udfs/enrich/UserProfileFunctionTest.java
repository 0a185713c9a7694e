package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.lookup.GuardedSource;
import dev.eventpipeline.udfs.lookup.InMemoryHashSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserProfileFunctionTest {
    final InMemoryHashSource redis = new InMemoryHashSource();
    final UserProfileFunction fn = new UserProfileFunction(new GuardedSource(redis, 1000), 60_000, 100, CustomerValue.DEFAULT);

    @Test
    void readsTheProfileHash() {
        redis.put("user_profile:u-1", Map.of("lastSeen", "2026-11-26T18:00:00Z", "purchaseCount", "3",
                "lastPurchaseAt", "2026-11-20T10:00:00Z", "preferences", "{\"newsletter\":true,\"tags\":[\"a\"]}"));
        UserProfile p = fn.apply("u-1");
        assertThat(p.lastSeen()).isEqualTo("2026-11-26T18:00:00Z");
        assertThat(p.purchaseCount()).isEqualTo(3L);
        assertThat(p.lastPurchaseAt()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(p.preferences()).containsEntry("newsletter", "true").containsEntry("tags", "[\"a\"]");
        assertThat(p.lifetimeValue()).as("no purchaseHistory for 3 purchases: unknown").isNull();
        assertThat(p.segment()).isNull();
    }

    @Test
    void derivesLifetimeValueAndSegmentFromThePurchaseHistory() {
        redis.put("user_profile:u-1", Map.of("purchaseCount", "2", "purchaseHistory",
                "[{\"orderId\":\"o-1\",\"total\":118.0,\"currency\":\"EUR\"},"
                        + "{\"orderId\":\"o-2\",\"total\":50.0,\"currency\":\"USD\"}]"));
        UserProfile p = fn.apply("u-1");
        assertThat(p.lifetimeValue()).isEqualTo(164.0); // 118 EUR + 50 USD x 0.92
        assertThat(p.segment()).isEqualTo("occasional");
    }

    @Test
    void aProfileWithoutPurchasesIsNew() {
        redis.put("user_profile:u-4", Map.of("lastSeen", "2026-11-26T18:00:00Z"));
        UserProfile p = fn.apply("u-4");
        assertThat(p.lifetimeValue()).isEqualTo(0.0);
        assertThat(p.segment()).isEqualTo("new");
    }

    @Test
    void aMalformedHistoryLeavesBothFieldsNullAndTheRestIntact() {
        redis.put("user_profile:u-5", Map.of("lastSeen", "2026-11-26T18:00:00Z", "purchaseCount", "1",
                "purchaseHistory", "[{\"total\":\"lots\",\"currency\":\"EUR\"}]"));
        UserProfile p = fn.apply("u-5");
        assertThat(p.lastSeen()).isEqualTo("2026-11-26T18:00:00Z");
        assertThat(p.purchaseCount()).isEqualTo(1L);
        assertThat(p.lifetimeValue()).isNull();
        assertThat(p.segment()).isNull();
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
        assertThat(p).isEqualTo(new UserProfile(null, null, null, null, null, null));
        assertThat(UserProfile.fromHash(Map.of(), CustomerValue.DEFAULT)).isNull();
        redis.put("user_profile:u-3", Map.of("purchaseCount", "many", "preferences", "[1,2]",
                "purchaseHistory", "[{\"total\":5,\"currency\":\"EUR\"}]"));
        assertThat(fn.apply("u-3")).as("a malformed count is not 'no purchases'")
                .isEqualTo(new UserProfile(null, null, null, null, null, null));
    }

    @Test
    void noRedisConfiguredMeansNull() {
        assertThat(new UserProfileFunction(null, 1, 1, CustomerValue.DEFAULT).apply("u-1")).isNull();
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
