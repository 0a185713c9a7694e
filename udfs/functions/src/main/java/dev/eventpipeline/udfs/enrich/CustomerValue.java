package dev.eventpipeline.udfs.enrich;

import java.math.BigDecimal;

/**
 * Lifetime value (EUR) and segment of a user from the profile's {@code purchaseCount} and
 * {@code purchaseHistory}. Both are null when they cannot be stated correctly: a malformed history,
 * or a history that records fewer orders than {@code purchaseCount} (orders completed before the
 * history was written, ksql V000005).
 */
public final class CustomerValue {
    public static final CustomerValue DEFAULT = new CustomerValue(FxRates.parse(FxRates.DEFAULT), SegmentRule.DEFAULT);

    /** The derived fields; {@link #UNKNOWN} when they cannot be stated. */
    public record Derived(Double lifetimeValue, String segment) {
        public static final Derived UNKNOWN = new Derived(null, null);
    }

    private static final Derived NO_PURCHASES = new Derived(0.0, SegmentRule.NEW);

    private final FxRates rates;
    private final SegmentRule rule;

    public CustomerValue(FxRates rates, SegmentRule rule) {
        this.rates = rates;
        this.rule = rule;
    }

    public Derived derive(Long purchaseCount, String historyJson) {
        long count = purchaseCount == null ? 0 : purchaseCount;
        if (historyJson == null) {
            // the pipeline writes the history with the first order: no history and no count is a user who never bought
            return count == 0 ? NO_PURCHASES : Derived.UNKNOWN;
        }
        PurchaseHistory history = PurchaseHistory.parse(historyJson, rates);
        if (history == null || history.orders() < count) {
            return Derived.UNKNOWN;
        }
        // the two fields reach Redis through two topics, so the history may briefly be one order ahead of the count
        long purchases = Math.max(count, history.orders());
        BigDecimal value = history.valueEur();
        return new Derived(CartTracker.round(value), rule.segment(purchases, value));
    }
}
