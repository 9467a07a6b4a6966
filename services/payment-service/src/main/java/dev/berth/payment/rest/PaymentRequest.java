package dev.berth.payment.rest;

import dev.berth.support.money.MoneyAmount;
import dev.berth.support.money.SupportedCurrency;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.util.UUID;

/** {@code POST /api/payments} body. {@code toString} never shows the card token. */
public record PaymentRequest(
        @NotNull UUID orderId,
        @NotNull @MoneyAmount(integerDigits = 15) BigDecimal amount,
        @NotNull @SupportedCurrency String currency,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{3,64}", message = "must be 3-64 letters, digits, '_' or '-'") String cardToken) {

    @Override
    public String toString() {
        return "PaymentRequest[orderId=" + orderId + ", amount=" + amount + ", currency=" + currency + ", cardToken=***]";
    }
}
