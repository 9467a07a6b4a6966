package dev.berth.payment.rest;

import dev.berth.payment.model.Payment;
import dev.berth.payment.model.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A payment as the API shows it (no idempotency key, no fingerprint, no card data). */
public record PaymentResponse(
        UUID id,
        UUID orderId,
        PaymentStatus status,
        BigDecimal amount,
        String currency,
        String declineReason,
        Instant createdAt,
        Instant updatedAt,
        Instant refundedAt) {

    static PaymentResponse of(Payment p) {
        return new PaymentResponse(p.id, p.orderId, p.status, p.amount, p.currency, p.declineReason, p.createdAt, p.updatedAt, p.refundedAt);
    }
}
