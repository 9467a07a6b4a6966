package dev.berth.payment.service;

/** The processor's answer: approved, or declined with a machine-readable reason. */
public record Authorization(boolean approved, String declineReason) {

    public static Authorization approve() {
        return new Authorization(true, null);
    }

    public static Authorization decline(String reason) {
        return new Authorization(false, reason);
    }
}
