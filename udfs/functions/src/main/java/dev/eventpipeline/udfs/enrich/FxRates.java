package dev.eventpipeline.udfs.enrich;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Static conversion rates into EUR, configured as {@code "EUR:1,USD:0.92,GBP:1.17"} (one unit of the
 * currency in EUR). A malformed entry is ignored; an unknown currency converts to null.
 */
public final class FxRates {
    public static final String DEFAULT = "EUR:1,USD:0.92,GBP:1.17,CHF:1.06,PLN:0.23,SEK:0.087,DKK:0.134,NOK:0.085,CZK:0.040";

    private final Map<String, BigDecimal> toEur;

    private FxRates(Map<String, BigDecimal> toEur) {
        this.toEur = toEur;
    }

    public static FxRates parse(String spec) {
        Map<String, BigDecimal> rates = new HashMap<>();
        rates.put("EUR", BigDecimal.ONE);
        if (spec != null) {
            for (String entry : spec.split(",")) {
                String[] kv = entry.trim().split(":");
                if (kv.length != 2) {
                    continue;
                }
                try {
                    BigDecimal rate = new BigDecimal(kv[1].trim());
                    if (rate.signum() > 0) {
                        rates.put(kv[0].trim().toUpperCase(Locale.ROOT), rate);
                    }
                } catch (NumberFormatException ignored) {
                    // a typo in one rate must not disable the others
                }
            }
        }
        return new FxRates(Map.copyOf(rates));
    }

    public BigDecimal toEur(BigDecimal amount, String currency) {
        if (amount == null || currency == null) {
            return null;
        }
        BigDecimal rate = toEur.get(currency.toUpperCase(Locale.ROOT));
        return rate == null ? null : amount.multiply(rate);
    }

    /** Converts between two known currencies through EUR; null when either is unknown. */
    public BigDecimal convert(BigDecimal amount, String from, String to) {
        if (from == null || to == null || from.equalsIgnoreCase(to)) {
            return amount;
        }
        BigDecimal eur = toEur(amount, from);
        BigDecimal rate = toEur.get(to.toUpperCase(Locale.ROOT));
        return eur == null || rate == null ? null : eur.divide(rate, MathContext.DECIMAL64);
    }
}
