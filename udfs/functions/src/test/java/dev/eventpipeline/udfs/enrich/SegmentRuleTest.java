package dev.eventpipeline.udfs.enrich;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentRuleTest {
    final SegmentRule rule = SegmentRule.DEFAULT; // repeat from 3 purchases, vip from 1000 EUR

    @Test
    void noPurchaseIsNew() {
        assertThat(rule.segment(0, BigDecimal.ZERO)).isEqualTo("new");
    }

    @Test
    void fewPurchasesBelowTheVipValueAreOccasional() {
        assertThat(rule.segment(1, new BigDecimal("80"))).isEqualTo("occasional");
        assertThat(rule.segment(2, new BigDecimal("999.99"))).isEqualTo("occasional");
    }

    @Test
    void fromTheRepeatCountOnItIsRepeat() {
        assertThat(rule.segment(3, new BigDecimal("120"))).isEqualTo("repeat");
        assertThat(rule.segment(40, new BigDecimal("999.99"))).isEqualTo("repeat");
    }

    @Test
    void theVipValueWinsWhateverTheCount() {
        assertThat(rule.segment(1, new BigDecimal("1000"))).isEqualTo("vip");
        assertThat(rule.segment(12, new BigDecimal("5400"))).isEqualTo("vip");
    }

    @Test
    void thresholdsAreConfigurable() {
        SegmentRule strict = new SegmentRule(5, new BigDecimal("5000"));
        assertThat(strict.segment(4, new BigDecimal("4999"))).isEqualTo("occasional");
        assertThat(strict.segment(5, new BigDecimal("4999"))).isEqualTo("repeat");
        assertThat(strict.segment(5, new BigDecimal("5000"))).isEqualTo("vip");
    }
}
