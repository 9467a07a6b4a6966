package dev.berth.support.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyAmountTest {

    static final BigDecimal FIFTEEN_DIGITS = BigDecimal.TEN.pow(15);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "0.01,                true",
        "42.50,               true",
        "10.500,              true",
        "999999999999999.99,  true",
        "1E+2,                true",
        "0,                   false",
        "0.009,               false",
        "-5.00,               false",
        "1.001,               false",
        "1000000000000000,    false",
        // @Digits(integer = 15) let these through: precision - scale wraps around in an int
        "1E+2147483647,       false",
        "9E+2147483647,       false",
        "1E-2147483647,       false",
    })
    void boundsAreCheckedWithoutOverflow(String amount, boolean valid) {
        assertThat(MoneyAmount.Validator.isValid(new BigDecimal(amount), FIFTEEN_DIGITS)).isEqualTo(valid);
    }
}
