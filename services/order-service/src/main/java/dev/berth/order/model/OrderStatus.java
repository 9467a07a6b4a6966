package dev.berth.order.model;

/**
 * PENDING → PAID | PAYMENT_FAILED | CANCELLED; PAID → CANCELLED (refunded); PAYMENT_FAILED → CANCELLED.
 * PENDING means payment-service has not answered yet; the reconciler keeps trying.
 */
public enum OrderStatus {
    PENDING,
    PAID,
    PAYMENT_FAILED,
    CANCELLED
}
