package dev.eventpipeline.udfs.enrich;

import dev.eventpipeline.udfs.enrich.CustomerValue.Derived;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerValueTest {
    final CustomerValue value = CustomerValue.DEFAULT;

    static String orders(String... totalsAndCurrencies) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < totalsAndCurrencies.length; i += 2) {
            out.append(i == 0 ? "" : ",").append("{\"orderId\":\"o-").append(i).append("\",\"total\":")
                    .append(totalsAndCurrencies[i]).append(",\"currency\":\"").append(totalsAndCurrencies[i + 1]).append("\"}");
        }
        return out.append(']').toString();
    }

    @Test
    void aUserWhoNeverBoughtIsNewWithZeroValue() {
        assertThat(value.derive(null, null)).isEqualTo(new Derived(0.0, "new"));
        assertThat(value.derive(0L, null)).isEqualTo(new Derived(0.0, "new"));
        assertThat(value.derive(null, "[]")).isEqualTo(new Derived(0.0, "new"));
    }

    @Test
    void valueInEurRoundedToCentsAndSegmentFromTheHistory() {
        assertThat(value.derive(1L, orders("19.999", "EUR"))).isEqualTo(new Derived(20.0, "occasional"));
        assertThat(value.derive(3L, orders("100", "EUR", "100", "USD", "10", "GBP")))
                .isEqualTo(new Derived(203.7, "repeat")); // 100 EUR + 100 USD x 0.92 + 10 GBP x 1.17
    }

    @Test
    void vipByLifetimeValue() {
        assertThat(value.derive(2L, orders("600", "EUR", "500", "EUR"))).isEqualTo(new Derived(1100.0, "vip"));
    }

    @Test
    void aHistoryShorterThanTheCountIsUnknown() {
        // orders completed before the pipeline wrote the history: the sum would understate the value
        assertThat(value.derive(5L, orders("100", "EUR"))).isEqualTo(Derived.UNKNOWN);
        assertThat(value.derive(5L, null)).isEqualTo(Derived.UNKNOWN);
    }

    @Test
    void aHistoryOneOrderAheadOfTheCountCountsTheHistory() {
        assertThat(value.derive(2L, orders("10", "EUR", "10", "EUR", "10", "EUR"))).isEqualTo(new Derived(30.0, "repeat"));
    }

    @Test
    void malformedHistoryIsUnknown() {
        assertThat(value.derive(1L, "not json")).isEqualTo(Derived.UNKNOWN);
        assertThat(value.derive(2L, "[{\"total\":10,\"currency\":\"EUR\"},{\"total\":\"x\",\"currency\":\"EUR\"}]"))
                .isEqualTo(Derived.UNKNOWN);
        assertThat(value.derive(1L, orders("10", "XYZ"))).isEqualTo(Derived.UNKNOWN);
    }
}
