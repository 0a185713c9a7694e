package dev.eventpipeline.udfs.enrich;

/**
 * Derived cart features after the event: {@code itemCount} (units in the cart), {@code value} (cart
 * value in {@code currency}), {@code valueChange} (this event's effect on the value; null when the
 * value before is unknown), {@code valueEur} (value normalised to EUR; null for an unknown currency).
 * Amounts are rounded half-up to 2 decimals.
 */
public record CartFeatures(Integer itemCount, Double value, Double valueChange, String currency, Double valueEur) {
}
