package dev.berth.order.service;

import dev.berth.order.config.OrderConfig;
import dev.berth.order.model.Order;
import dev.berth.order.model.OrderStatus;
import dev.berth.order.model.RefundStatus;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Finishes what payment-service could not do when asked: charges PENDING orders and refunds cancelled ones,
 * with exponential back-off per order.
 *
 * <p>A pass keeps claiming batches while due orders remain (a backlog drains in one pass, not 20 orders per
 * period), works each batch on {@code concurrency} threads, and stops early when payment-service is still
 * unavailable (the orders not tried keep their place instead of backing off) or after one lease's time (the
 * next pass goes on). Safe with any number of order-service replicas: each batch is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, so no two replicas work on one order, and every call to
 * payment-service is idempotent anyway.
 */
@ApplicationScoped
public class PaymentReconciler {

    private static final Logger LOG = Logger.getLogger(PaymentReconciler.class);

    private final OrderService orders;
    private final OrderMetrics metrics;
    private final OrderConfig config;
    private final ExecutorService workers;

    public PaymentReconciler(OrderService orders, OrderMetrics metrics, OrderConfig config) {
        this.orders = orders;
        this.metrics = metrics;
        this.config = config;
        this.workers = Executors.newFixedThreadPool(config.paymentRetry().concurrency(), r -> {
            Thread t = new Thread(r, "payment-reconciler");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    @Scheduled(identity = "payment-reconciler", every = "${orders.payment-retry.period}", delayed = "${orders.payment-retry.period}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() throws InterruptedException {
        int batchSize = config.paymentRetry().batchSize();
        long deadline = System.nanoTime() + config.paymentRetry().lease().toNanos();
        while (System.nanoTime() < deadline) {
            List<UUID> batch = orders.claimDue(batchSize);
            boolean allAnswered = work(batch);
            if (batch.size() < batchSize || !allAnswered) {
                return;
            }
        }
    }

    /** Works one claimed batch in parallel; returns whether payment-service answered for every order of it. */
    private boolean work(List<UUID> batch) throws InterruptedException {
        List<Callable<Boolean>> tasks = batch.stream().<Callable<Boolean>>map(id -> () -> reconcile(id)).toList();
        boolean allAnswered = true;
        for (Future<Boolean> done : workers.invokeAll(tasks)) {
            try {
                allAnswered &= done.get();
            } catch (ExecutionException e) {
                allAnswered = false; // reconcile(id) logged it
            }
        }
        return allAnswered;
    }

    /** One order's due work; returns false when payment-service did not answer (the order was rescheduled). */
    private boolean reconcile(UUID id) {
        try {
            Order order = orders.get(id);
            if (order.status == OrderStatus.PENDING) {
                Order settled = orders.settle(id);
                if (settled.status == OrderStatus.PENDING) {
                    return false;
                }
                metrics.settled(settled);
                LOG.infof("pending order %s settled: %s", id, settled.status);
            } else if (order.refund == RefundStatus.DUE) {
                return orders.refund(id).refund != RefundStatus.DUE;
            }
            return true;
        } catch (RuntimeException e) {
            // the lease expires and the order is picked up again; one bad order must not stop the others
            LOG.errorf(e, "reconciling order %s failed; it will be retried", id);
            return false;
        }
    }
}
