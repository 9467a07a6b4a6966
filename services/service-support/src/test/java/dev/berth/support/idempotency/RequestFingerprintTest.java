package dev.berth.support.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    @Test
    void equalMoneyWithAnotherScaleIsTheSameRequest() {
        assertThat(RequestFingerprint.of("o", new BigDecimal("10.0"), "EUR"))
                .isEqualTo(RequestFingerprint.of("o", new BigDecimal("10.00"), "EUR"));
    }

    @Test
    void partBoundariesMatter() {
        assertThat(RequestFingerprint.of("ab", "c")).isNotEqualTo(RequestFingerprint.of("a", "bc"));
        assertThat(RequestFingerprint.of("a", null)).isNotEqualTo(RequestFingerprint.of("a", "null"));
    }

    @Test
    void anyChangedPartChangesTheFingerprint() {
        String base = RequestFingerprint.of("o", new BigDecimal("10.00"), "EUR", "tok");
        assertThat(base).hasSize(64)
                .isNotEqualTo(RequestFingerprint.of("o", new BigDecimal("10.01"), "EUR", "tok"))
                .isNotEqualTo(RequestFingerprint.of("o", new BigDecimal("10.00"), "USD", "tok"))
                .isNotEqualTo(RequestFingerprint.of("o", new BigDecimal("10.00"), "EUR", "tok2"));
    }
}
