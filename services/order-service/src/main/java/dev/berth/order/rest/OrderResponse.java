package dev.berth.order.rest;

import dev.berth.order.model.Order;
import dev.berth.order.model.OrderLine;
import dev.berth.order.model.OrderStatus;
import dev.berth.order.model.RefundStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API shows it (no idempotency key, fingerprint or card token). */
public record OrderResponse(
        UUID id,
        OrderStatus status,
        String customerId,
        String currency,
        BigDecimal total,
        List<Item> items,
        UUID paymentId,
        String failureReason,
        RefundStatus refund,
        Instant createdAt,
        Instant updatedAt) {

    public record Item(String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
        static Item of(OrderLine l) {
            return new Item(l.sku, l.quantity, l.unitPrice, l.lineTotal());
        }
    }

    static OrderResponse of(Order o) {
        return new OrderResponse(o.id, o.status, o.customerId, o.currency, o.total, o.items.stream().map(Item::of).toList(),
                o.paymentId, o.failureReason, o.refund, o.createdAt, o.updatedAt);
    }
}
