package dev.berth.order.service;

import dev.berth.order.config.OrderConfig;
import dev.berth.order.model.OrderStatus;
import dev.berth.order.model.RefundStatus;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finishes what payment-service could not do when asked: charges PENDING orders and refunds cancelled ones,
 * with exponential back-off per order. Safe with any number of order-service replicas: each pass claims
 * its orders with {@code FOR UPDATE SKIP LOCKED} and a lease, and every call to payment-service is
 * idempotent anyway.
 */
@ApplicationScoped
public class PaymentReconciler {

    private static final Logger LOG = Logger.getLogger(PaymentReconciler.class);

    private final OrderService orders;
    private final OrderMetrics metrics;
    private final OrderConfig config;

    public PaymentReconciler(OrderService orders, OrderMetrics metrics, OrderConfig config) {
        this.orders = orders;
        this.metrics = metrics;
        this.config = config;
    }

    @Scheduled(identity = "payment-reconciler", every = "${orders.payment-retry.period}", delayed = "${orders.payment-retry.period}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        for (UUID id : orders.claimDue(config.paymentRetry().batchSize())) {
            try {
                var order = orders.get(id);
                if (order.status == OrderStatus.PENDING) {
                    var settled = orders.settle(id);
                    if (settled.status != OrderStatus.PENDING) {
                        metrics.settled(settled);
                        LOG.infof("pending order %s settled: %s", id, settled.status);
                    }
                } else if (order.refund == RefundStatus.DUE) {
                    orders.refund(id);
                }
            } catch (RuntimeException e) {
                // the lease expires and the order is picked up again; one bad order must not stop the others
                LOG.errorf(e, "reconciling order %s failed; it will be retried", id);
            }
        }
    }
}
