package dev.berth.order.client;

import java.util.UUID;

/** payment-service's final word on a charge. Unavailability is not a result: it is retried. */
public sealed interface ChargeResult {

    record Approved(UUID paymentId) implements ChargeResult {}

    record Declined(UUID paymentId, String reason) implements ChargeResult {}

    /** payment-service refused the request itself (4xx): retrying it unchanged cannot succeed. */
    record Rejected(String reason) implements ChargeResult {}
}
