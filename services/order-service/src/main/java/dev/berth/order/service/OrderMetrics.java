package dev.berth.order.service;

import dev.berth.order.model.Order;
import dev.berth.order.model.OrderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * Business metrics at {@code /q/metrics}: {@code orders_created_total{status}} (status when the create call
 * answered), {@code orders_settled_total{status}} (PENDING orders the reconciler completed later),
 * {@code orders_cancelled_total} and {@code order_value} (a histogram of order totals, by currency).
 */
@ApplicationScoped
public class OrderMetrics {

    private final MeterRegistry registry;
    private final Map<OrderStatus, Counter> created = new EnumMap<>(OrderStatus.class);
    private final Map<OrderStatus, Counter> settled = new EnumMap<>(OrderStatus.class);
    private final Counter cancelled;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (OrderStatus status : OrderStatus.values()) {
            created.put(status, Counter.builder("orders.created").description("Orders created, by status at creation")
                    .tag("status", status.name()).register(registry));
            settled.put(status, Counter.builder("orders.settled").description("Pending orders settled after their placing request: by the payment reconciler, or by a retry of the request when its placer is gone")
                    .tag("status", status.name()).register(registry));
        }
        this.cancelled = Counter.builder("orders.cancelled").description("Orders cancelled").register(registry);
    }

    public void created(Order order) {
        created.get(order.status).increment();
        DistributionSummary.builder("order.value").description("Order totals").baseUnit("currency_units")
                .tag("currency", order.currency)
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(100_000.0)
                .register(registry)
                .record(order.total.doubleValue());
    }

    public void settled(Order order) {
        settled.get(order.status).increment();
    }

    public void cancelledOrder() {
        cancelled.increment();
    }
}
