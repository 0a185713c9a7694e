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
    void lineEventsApplyDeltasAtTheRememberedLinePrice() {
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':2,'unitPrice':19.99,'currency':'USD','source':'web','discount':0}")))
                .isEqualTo(new CartFeatures(2, 39.98, 39.98, "USD", 19.99));
        // quantity_changed without a price: the line's price from item_added
        assertThat(cart.next("s", "cart.quantity_changed", json("{'productId':'A','previousQuantity':2,'newQuantity':5}")))
                .isEqualTo(new CartFeatures(5, 99.95, 59.97, "USD", 49.98));
        // item_removed carries no price either
        assertThat(cart.next("s", "cart.item_removed", json("{'productId':'A','quantity':1,'reason':'user'}")))
                .isEqualTo(new CartFeatures(4, 79.96, -19.99, "USD", 39.98));
        assertThat(cart.next("s", "cart.item_removed", json("{'productId':'A','quantity':4}")))
                .isEqualTo(new CartFeatures(0, 0.0, -79.96, "USD", 0.0));
    }

    @Test
    void discountIsPerUnit() {
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':3,'unitPrice':10,'currency':'EUR','discount':2.5}")))
                .isEqualTo(new CartFeatures(3, 22.5, 22.5, "EUR", 22.5));
        assertThat(cart.next("s", "cart.item_removed", json("{'productId':'A','quantity':1}")))
                .isEqualTo(new CartFeatures(2, 15.0, -7.5, "EUR", 15.0));
    }

    @Test
    void quantityChangedPrefersThePayloadPrice() {
        cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':10,'currency':'EUR','discount':0}"));
        assertThat(cart.next("s", "cart.quantity_changed", json("{'productId':'A','previousQuantity':1,'newQuantity':3,'unitPrice':12,'currency':'EUR'}")))
                .isEqualTo(new CartFeatures(3, 34.0, 24.0, "EUR", 34.0));
    }

    @Test
    void aRemovalOfAnUnknownLineMakesTheValueUnknownUntilTheNextSnapshot() {
        cart.next("s", "cart.item_added", json("{'productId':'A','quantity':2,'unitPrice':10,'currency':'EUR','discount':0}"));
        assertThat(cart.next("s", "cart.item_removed", json("{'productId':'B','quantity':1}")))
                .isEqualTo(new CartFeatures(1, null, null, "EUR", null));
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'C','quantity':1,'unitPrice':5,'currency':'EUR','discount':0}")))
                .isEqualTo(new CartFeatures(2, null, 5.0, "EUR", null));
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','itemCount':2,'cartValue':15,'currency':'EUR'}")))
                .isEqualTo(new CartFeatures(2, 15.0, null, "EUR", 15.0));
    }

    @Test
    void otherCurrenciesAreConvertedIntoTheCartsCurrency() {
        cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':10,'currency':'EUR','discount':0}"));
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'B','quantity':1,'unitPrice':10,'currency':'USD','discount':0}")))
                .isEqualTo(new CartFeatures(2, 15.0, 5.0, "EUR", 15.0));
    }

    @Test
    void snapshotsReplaceTheCartAndOrdersCloseIt() {
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','itemCount':3,'currency':'EUR','items':[{'productId':'A','quantity':2,'unitPrice':5},{'productId':'B','quantity':1,'unitPrice':2.5}]}")))
                .isEqualTo(new CartFeatures(3, 12.5, null, "EUR", 12.5));
        // the snapshot's items become the known lines
        assertThat(cart.next("s", "cart.item_removed", json("{'productId':'B','quantity':1}")))
                .isEqualTo(new CartFeatures(2, 10.0, -2.5, "EUR", 10.0));
        assertThat(cart.next("s", "checkout.started", json("{'cartId':'c','checkoutId':'k','itemCount':2,'subtotal':9.0,'currency':'EUR'}")))
                .isEqualTo(new CartFeatures(2, 9.0, -1.0, "EUR", 9.0));
        assertThat(cart.next("s", "order.completed", json("{'orderId':'o','checkoutId':'k','items':[{'productId':'A','quantity':2,'unitPrice':4.5}],'subtotal':9.0,'tax':1.71,'shipping':0,'total':10.71,'currency':'EUR','paymentMethod':'card'}")))
                .isEqualTo(new CartFeatures(2, 9.0, 0.0, "EUR", 9.0));
        assertThat(cart.size()).isZero();
    }

    @Test
    void aViewWithoutValueOrPricesHasNoValue() {
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','itemCount':1,'items':[{'productId':'A','quantity':1}]}")))
                .isEqualTo(new CartFeatures(1, null, null, null, null));
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','itemCount':0}")))
                .isEqualTo(new CartFeatures(0, 0.0, null, null, null));
    }

    @Test
    void clearedEmptiesTheCart() {
        assertThat(cart.next("s", "cart.cleared", json("{'cartId':'c','itemCount':0,'reason':'user'}")))
                .isEqualTo(new CartFeatures(0, 0.0, null, null, null));
        cart.next("s", "cart.item_added", json("{'productId':'A','quantity':3,'unitPrice':1,'currency':'EUR','discount':0}"));
        assertThat(cart.next("s", "cart.cleared", json("{'cartId':'c','itemCount':3,'reason':'user'}")))
                .isEqualTo(new CartFeatures(0, 0.0, -3.0, "EUR", 0.0));
        // a cart not seen before: the payload's value tells what was cleared
        assertThat(cart.next("s2", "cart.cleared", json("{'cartId':'c2','itemCount':2,'cartValue':20,'currency':'USD','reason':'expired'}")))
                .isEqualTo(new CartFeatures(0, 0.0, -20.0, "USD", 0.0));
    }

    @Test
    void sessionsAreSeparateCarts() {
        cart.next("s1", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':1,'currency':'EUR','discount':0}"));
        assertThat(cart.next("s1", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':1,'currency':'EUR','discount':0}")).itemCount()).isEqualTo(2);
        assertThat(cart.next("s2", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':1,'currency':'EUR','discount':0}")).itemCount()).isEqualTo(1);
    }

    @Test
    void nullsUnknownTypesAndMalformedPayloads() {
        JsonNode ok = json("{'productId':'A','quantity':1,'unitPrice':1,'currency':'EUR','discount':0}");
        assertThat(cart.next("s", null, ok)).isNull();
        assertThat(cart.next("s", "cart.wishlisted", ok)).isNull();
        assertThat(cart.next(null, "cart.item_added", ok)).isNull();
        assertThat(cart.next("s", "cart.item_added", null)).isNull();
        assertThat(cart.next("s", "cart.item_added", json("[1]"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':-1,'unitPrice':1,'currency':'EUR'}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1.5,'unitPrice':1,'currency':'EUR'}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':'abc','currency':'EUR'}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':1}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':1,'currency':'EUR','discount':'x'}"))).isNull();
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':1e400,'currency':'EUR'}"))).isNull();
        assertThat(cart.next("s", "cart.item_removed", json("{'productId':'A'}"))).isNull();
        assertThat(cart.next("s", "cart.quantity_changed", json("{'productId':'A','newQuantity':1,'previousQuantity':'x'}"))).isNull();
        assertThat(cart.next("s", "cart.quantity_changed", json("{'productId':'A','newQuantity':1,'previousQuantity':0,'unitPrice':'x'}"))).isNull();
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','itemCount':1,'items':{'productId':'A'}}"))).isNull();
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c','itemCount':1,'items':[{'productId':'A'}]}"))).isNull();
        assertThat(cart.next("s", "cart.viewed", json("{'cartId':'c'}"))).isNull();
        assertThat(cart.next("s", "checkout.started", json("{'cartId':'c','itemCount':1,'currency':'EUR'}"))).isNull();
        assertThat(cart.next("s", "order.completed", json("{'orderId':'o','subtotal':1,'currency':'EUR'}"))).isNull();
        assertThat(cart.size()).isZero();
    }

    @Test
    void unknownCurrencyHasNoEurValue() {
        assertThat(cart.next("s", "cart.item_added", json("{'productId':'A','quantity':1,'unitPrice':10.005,'currency':'XYZ','discount':0}")))
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
