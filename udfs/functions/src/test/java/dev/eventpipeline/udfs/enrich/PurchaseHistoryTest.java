package dev.eventpipeline.udfs.enrich;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class PurchaseHistoryTest {
    final FxRates rates = FxRates.parse("EUR:1,USD:0.92,GBP:1.17");

    @Test
    void sumsTheOrderTotalsInEur() {
        PurchaseHistory h = PurchaseHistory.parse(
                "[{\"orderId\":\"o-1\",\"total\":118.0,\"currency\":\"EUR\"},{\"orderId\":\"o-2\",\"total\":\"50\",\"currency\":\"eur\"}]",
                rates);
        assertThat(h.orders()).isEqualTo(2);
        assertThat(h.valueEur()).isEqualByComparingTo("168");
    }

    @Test
    void mixedCurrenciesAreConvertedWithTheCartRates() {
        PurchaseHistory h = PurchaseHistory.parse(
                "[{\"total\":100,\"currency\":\"EUR\"},{\"total\":100,\"currency\":\"USD\"},{\"total\":10,\"currency\":\"GBP\"}]",
                rates);
        assertThat(h.orders()).isEqualTo(3);
        assertThat(h.valueEur()).isEqualByComparingTo("203.7"); // 100 + 92 + 11.7
    }

    @Test
    void anEmptyHistoryIsWorthZero() {
        assertThat(PurchaseHistory.parse("[]", rates)).isEqualTo(new PurchaseHistory(0, BigDecimal.ZERO));
    }

    @Test
    void aMalformedHistoryIsNull() {
        assertThat(PurchaseHistory.parse(null, rates)).isNull();
        assertThat(PurchaseHistory.parse("", rates)).isNull();
        assertThat(PurchaseHistory.parse("[{\"total\":1", rates)).isNull();
        assertThat(PurchaseHistory.parse("{\"total\":1,\"currency\":\"EUR\"}", rates)).isNull();
        assertThat(PurchaseHistory.parse("42", rates)).isNull();
    }

    @Test
    void oneMalformedEntryMakesTheWholeValueUnknown() {
        String ok = "{\"total\":10,\"currency\":\"EUR\"},";
        assertThat(PurchaseHistory.parse("[" + ok + "{\"currency\":\"EUR\"}]", rates)).as("no total").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":null,\"currency\":\"EUR\"}]", rates)).as("null total").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":\"ten\",\"currency\":\"EUR\"}]", rates)).as("text total").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":-5,\"currency\":\"EUR\"}]", rates)).as("negative").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":5}]", rates)).as("no currency").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":5,\"currency\":\"XYZ\"}]", rates)).as("unknown currency").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":5,\"currency\":{\"c\":1}}]", rates)).as("object currency").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "\"o-9\"]", rates)).as("not an object").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "null]", rates)).as("null entry").isNull();
        assertThat(PurchaseHistory.parse("[" + ok + "{\"total\":1e400,\"currency\":\"EUR\"}]", rates)).as("infinite").isNull();
    }
}
