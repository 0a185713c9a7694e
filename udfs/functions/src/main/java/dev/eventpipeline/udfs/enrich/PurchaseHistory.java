package dev.eventpipeline.udfs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventpipeline.contract.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * A user's recorded orders, read from the profile hash field {@code purchaseHistory}: the JSON array
 * the pipeline writes from completed orders ({@code [{"orderId":"o-1","total":118.0,"currency":"EUR"}, ...]},
 * ksql V000005). {@code valueEur} is the sum of the order totals converted to EUR with the same
 * {@link FxRates} as the cart features.
 */
public record PurchaseHistory(int orders, BigDecimal valueEur) {
    public static final String FIELD = "purchaseHistory";

    /**
     * The history, or null when it is not a JSON array or any entry is malformed (no total, a
     * negative or non-numeric total, a missing or unknown currency): a partial sum would silently
     * understate the value, so the whole value is unknown instead.
     */
    public static PurchaseHistory parse(String json, FxRates rates) {
        if (json == null) {
            return null;
        }
        JsonNode entries;
        try {
            entries = JsonMapper.get().readTree(json);
        } catch (IOException e) {
            return null;
        }
        if (entries == null || !entries.isArray()) {
            return null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode entry : entries) {
            BigDecimal total = Fields.amount(entry.path("total"));
            if (total == null || total.signum() < 0) {
                return null;
            }
            BigDecimal eur = rates.toEur(total, Fields.text(entry.path("currency")));
            if (eur == null) {
                return null;
            }
            sum = sum.add(eur);
        }
        return new PurchaseHistory(entries.size(), sum);
    }
}
