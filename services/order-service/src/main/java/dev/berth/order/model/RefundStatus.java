package dev.berth.order.model;

/** Whether a cancelled order still owes its customer a refund: NONE → DUE → DONE. */
public enum RefundStatus {
    NONE,
    DUE,
    DONE
}
