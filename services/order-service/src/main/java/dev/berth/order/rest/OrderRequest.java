package dev.berth.order.rest;

import dev.berth.support.money.MoneyAmount;
import dev.berth.support.money.SupportedCurrency;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code POST /api/orders} body. The total is computed by the service, never taken from the client.
 * {@code cardToken} is optional (the customer's card on file, {@code orders.default-card-token}, otherwise);
 * {@code toString} never shows it.
 */
public record OrderRequest(
        @NotBlank @Size(max = 64) String customerId,
        @NotNull @SupportedCurrency String currency,
        @NotEmpty @Size(max = 100) List<@NotNull @Valid Item> items,
        @Pattern(regexp = "[A-Za-z0-9_-]{3,64}", message = "must be 3-64 letters, digits, '_' or '-'") String cardToken) {

    public record Item(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be 1-64 letters, digits, '.', '_' or '-'") String sku,
            @NotNull @Min(1) @Max(1000) Integer quantity,
            @NotNull @MoneyAmount(integerDigits = 9) BigDecimal unitPrice) {}

    @Override
    public String toString() {
        return "OrderRequest[customerId=" + customerId + ", currency=" + currency + ", items=" + items
                + (cardToken == null ? "" : ", cardToken=***") + "]";
    }
}
