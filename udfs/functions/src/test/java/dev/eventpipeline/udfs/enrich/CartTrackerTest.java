package dev.eventpipeline.udfs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CartTrackerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final CartTracker cart = new CartTracker(1000, FxRates.parse("EUR:1,USD:0.5"));

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void lineEventsApplyDeltas() {
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','sku':'A','quantity':2,'unitPrice':{'amount':'19.99','currency':'USD'}}")))
                .isEqualTo(new CartFeatures(2, 39.98, 39.98, "USD", 19.99));
        assertThat(cart.next("s", "cart.quantity_changed", json("{'cartId':'c','sku':'A','previousQuantity':2,'quantity':5,'unitPrice':{'amount':19.99,'currency':'USD'}}")))
                .isEqualTo(new CartFeatures(5, 99.95, 59.97, "USD", 49.98));
        assertThat(cart.next("s", "cart.item_removed", json("{'cartId':'c','sku':'A','quantity':5,'unitPrice':{'amount':'19.99','currency':'USD'}}")))
                .isEqualTo(new CartFeatures(0, 0.0, -99.95, "USD", 0.0));
    }

    @Test
    void otherCurrenciesAreConvertedIntoTheCartsCurrency() {
        cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1,'unitPrice':{'amount':'10','currency':'EUR'}}"));
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1,'unitPrice':{'amount':'10','currency':'USD'}}")))
                .isEqualTo(new CartFeatures(2, 15.0, 5.0, "EUR", 15.0));
    }

    @Test
    void snapshotsReplaceTheCartAndOrdersCloseIt() {
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','items':[{'sku':'A','quantity':2,'unitPrice':{'amount':'5','currency':'EUR'}},{'sku':'B','quantity':1,'unitPrice':{'amount':'2.50','currency':'EUR'}}]}")))
                .isEqualTo(new CartFeatures(3, 12.5, null, "EUR", 12.5));
        assertThat(cart.next("s", "checkout.started", json("{'cartId':'c','items':[{'sku':'A','quantity':2,'unitPrice':{'amount':'5','currency':'EUR'}}],'total':{'amount':'9.00','currency':'EUR'}}")))
                .isEqualTo(new CartFeatures(2, 9.0, -3.5, "EUR", 9.0));
        assertThat(cart.next("s", "order.completed", json("{'orderId':'o','cartId':'c','total':{'amount':'9.00','currency':'EUR'},'items':[]}")))
                .isEqualTo(new CartFeatures(0, 9.0, 0.0, "EUR", 9.0));
        assertThat(cart.size()).isZero();
    }

    @Test
    void clearedEmptiesTheCart() {
        assertThat(cart.next("s", "cart.cleared", json("{'cartId':'c'}"))).isEqualTo(new CartFeatures(0, 0.0, null, null, null));
        cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':3,'unitPrice':{'amount':'1','currency':'EUR'}}"));
        assertThat(cart.next("s", "cart.cleared", json("{'cartId':'c'}"))).isEqualTo(new CartFeatures(0, 0.0, -3.0, "EUR", 0.0));
    }

    @Test
    void sessionIdKeysCartsWithoutCartId() {
        cart.next("s1", "cart.item_added", json("{'quantity':1,'unitPrice':{'amount':'1','currency':'EUR'}}"));
        assertThat(cart.next("s1", "cart.item_added", json("{'quantity':1,'unitPrice':{'amount':'1','currency':'EUR'}}")).itemCount()).isEqualTo(2);
        assertThat(cart.next("s2", "cart.item_added", json("{'quantity':1,'unitPrice':{'amount':'1','currency':'EUR'}}")).itemCount()).isEqualTo(1);
    }

    @Test
    void nullsUnknownTypesAndMalformedPayloads() {
        JsonNode ok = json("{'cartId':'c','quantity':1,'unitPrice':{'amount':'1','currency':'EUR'}}");
        assertThat(cart.next("s", null, ok)).isNull();
        assertThat(cart.next("s", "cart.wishlisted", ok)).isNull();
        assertThat(cart.next("s", "cart.item_added", null)).isNull();
        assertThat(cart.next("s", "cart.item_added", json("[1]"))).isNull();
        assertThat(cart.next(null, "cart.item_added", json("{'quantity':1,'unitPrice':{'amount':'1','currency':'EUR'}}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':-1,'unitPrice':{'amount':'1','currency':'EUR'}}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1.5,'unitPrice':{'amount':'1','currency':'EUR'}}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1,'unitPrice':{'amount':'abc','currency':'EUR'}}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1,'unitPrice':{'amount':'1'}}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1,'unitPrice':'1 EUR'}"))).isNull();
        assertThat(cart.next("s", "cart.quantity_changed", json("{'cartId':'c','quantity':1,'previousQuantity':'x','unitPrice':{'amount':'1','currency':'EUR'}}"))).isNull();
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','items':{'sku':'A'}}"))).isNull();
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','items':[{'sku':'A'}]}"))).isNull();
        assertThat(cart.next("s", "checkout.started", json("{'cartId':'c'}"))).isNull();
        assertThat(cart.size()).isZero();
    }

    @Test
    void unknownCurrencyHasNoEurValue() {
        assertThat(cart.next("s", "cart.item_added", json("{'cartId':'c','quantity':1,'unitPrice':{'amount':'10.005','currency':'XYZ'}}")))
                .isEqualTo(new CartFeatures(1, 10.01, 10.01, "XYZ", null));
    }

    @Test
    void fxRatesIgnoreMalformedEntries() {
        FxRates rates = FxRates.parse("USD:0.5, GBP:x, :1, CHF:-1, usd2");
        assertThat(rates.toEur(new java.math.BigDecimal("10"), "usd")).isEqualByComparingTo("5");
        assertThat(rates.toEur(new java.math.BigDecimal("10"), "GBP")).isNull();
        assertThat(rates.toEur(new java.math.BigDecimal("10"), "CHF")).isNull();
        assertThat(rates.toEur(new java.math.BigDecimal("10"), "EUR")).isEqualByComparingTo("10");
    }
}
