package dev.berth.payment.model;

/**
 * PENDING → APPROVED | DECLINED; APPROVED → REFUNDED. PENDING is the reservation of an idempotency key while
 * the processor is being asked; DECLINED and REFUNDED are final.
 */
public enum PaymentStatus {
    PENDING,
    APPROVED,
    DECLINED,
    REFUNDED
}
