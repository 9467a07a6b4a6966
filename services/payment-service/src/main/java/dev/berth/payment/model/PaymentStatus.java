package dev.berth.payment.model;

/** APPROVED → REFUNDED is the only transition; DECLINED is final. */
public enum PaymentStatus {
    APPROVED,
    DECLINED,
    REFUNDED
}
