package dev.eventpipeline.udfs.enrich;

import java.math.BigDecimal;

/**
 * The customer segment of a user, from purchase count and lifetime value (EUR), first match wins:
 * {@code new} (no purchase), {@code vip} (lifetime value at least {@code vipMinValueEur}),
 * {@code repeat} (at least {@code repeatMinPurchases} purchases), {@code occasional} (the rest: a
 * few purchases below the VIP value). No recency: USER_PROFILE has no event time, and the wall
 * clock would make a replay enrich the same event differently.
 */
public record SegmentRule(long repeatMinPurchases, BigDecimal vipMinValueEur) {
    public static final long DEFAULT_REPEAT_MIN_PURCHASES = 3;
    public static final long DEFAULT_VIP_MIN_VALUE_EUR = 1000;
    public static final SegmentRule DEFAULT = new SegmentRule(DEFAULT_REPEAT_MIN_PURCHASES,
            BigDecimal.valueOf(DEFAULT_VIP_MIN_VALUE_EUR));

    public static final String NEW = "new";
    public static final String OCCASIONAL = "occasional";
    public static final String REPEAT = "repeat";
    public static final String VIP = "vip";

    public String segment(long purchases, BigDecimal lifetimeValueEur) {
        if (purchases <= 0) {
            return NEW;
        }
        if (lifetimeValueEur.compareTo(vipMinValueEur) >= 0) {
            return VIP;
        }
        return purchases >= repeatMinPurchases ? REPEAT : OCCASIONAL;
    }
}
