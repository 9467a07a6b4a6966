package dev.berth.order.service;

import dev.berth.order.client.ChargeResult;
import dev.berth.order.client.PaymentClient;
import dev.berth.order.client.PaymentGateway;
import dev.berth.order.client.PaymentUnavailableException;
import dev.berth.order.config.OrderConfig;
import dev.berth.order.model.Order;
import dev.berth.order.model.OrderLine;
import dev.berth.order.model.OrderStatus;
import dev.berth.order.model.RefundStatus;
import dev.berth.support.idempotency.HolderLock;
import dev.berth.support.idempotency.RequestFingerprint;
import dev.berth.support.idempotency.UniqueViolation;
import dev.berth.support.paging.PageOf;
import dev.berth.support.paging.PageRequest;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Orders and their payments.
 *
 * <p>Nothing acknowledged is lost: an order is committed PENDING before payment-service is called, and
 * calls to payment-service happen outside any transaction. If payment-service cannot answer, the order
 * stays PENDING and {@link PaymentReconciler} retries with the same idempotency key, so the customer is
 * charged at most once however often it is retried. Cancelling records a refund as due first and performs
 * it afterwards, so a refund is never forgotten either.
 */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);

    private final PaymentGateway payments;
    private final SettleLocks locks;
    private final OrderMetrics metrics;
    private final OrderConfig config;
    private final Clock clock;

    public OrderService(PaymentGateway payments, OrderMetrics metrics, OrderConfig config, SettleLocks locks) {
        this.payments = payments;
        this.locks = locks;
        this.metrics = metrics;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    public record Line(String sku, int quantity, BigDecimal unitPrice) {}

    public record Placement(Order order, boolean created) {}

    /**
     * Places an order (idempotent by key) and tries to pay it at once.
     *
     * @throws ProblemException 409 when the key was used for a different order
     */
    public Placement place(String idempotencyKey, String customerId, String currency, String cardToken, List<Line> lines) {
        String token = cardToken == null ? config.defaultCardToken() : cardToken;
        String fingerprint = fingerprint(customerId, currency, token, lines);
        var earlier = QuarkusTransaction.requiringNew().call(() -> Order.findByIdempotencyKey(idempotencyKey).map(OrderService::loaded));
        if (earlier.isPresent()) {
            return replay(earlier.get(), fingerprint);
        }
        UUID id = UUID.randomUUID();
        // held while this request pays (a fresh id: free unless another order shares its lock, which costs nothing
        // here), so a retry of this request finds it taken for as long as this replica is alive and at it
        try (HolderLock.Hold paying = locks.tryHold(id)) {
            return placeNew(id, idempotencyKey, customerId, currency, token, fingerprint, lines);
        }
    }

    private Placement placeNew(UUID id, String idempotencyKey, String customerId, String currency, String token, String fingerprint,
                               List<Line> lines) {
        Order order = new Order();
        order.id = id;
        order.idempotencyKey = idempotencyKey;
        order.requestFingerprint = fingerprint;
        order.customerId = customerId;
        order.currency = currency;
        order.cardToken = token;
        order.status = OrderStatus.PENDING;
        for (Line l : lines) {
            order.items.add(new OrderLine(l.sku(), l.quantity(), l.unitPrice()));
        }
        order.total = order.items.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
        order.createdAt = now();
        order.updatedAt = order.createdAt;
        // this request holds the lease while it pays; the reconciler takes over only if it never finishes
        order.nextAttemptAt = order.createdAt.plus(config.paymentRetry().lease());
        try {
            QuarkusTransaction.requiringNew().run(order::persistAndFlush);
        } catch (PersistenceException e) {
            if (!UniqueViolation.of(e, Order.IDEMPOTENCY_CONSTRAINT)) {
                throw e;
            }
            Order winner = QuarkusTransaction.requiringNew().call(() -> loaded(Order.findByIdempotencyKey(idempotencyKey).orElseThrow()));
            return replay(winner, fingerprint);
        }
        Order result = settle(order.id);
        metrics.created(result);
        LOG.infof("order %s placed for %s %s: %s", result.id, result.total, result.currency, result.status);
        return new Placement(result, true);
    }

    /**
     * The answer to a request repeated with its Idempotency-Key: the order as it is — unless it is PENDING and the
     * request that placed it is gone (its replica died while paying: the order's lock is free), then this request pays
     * it now with the same charge key, rather than answering PENDING and leaving it to the reconciler once the dead
     * placer's lease has ended. A placer still at work keeps its order.
     */
    private Placement replay(Order earlier, String fingerprint) {
        if (!earlier.requestFingerprint.equals(fingerprint)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_CONFLICT,
                    "this Idempotency-Key was used for a different order (order " + earlier.id + ")");
        }
        if (earlier.status == OrderStatus.PENDING) {
            try (HolderLock.Hold placerGone = locks.tryHold(earlier.id)) {
                if (placerGone.held()) {
                    Order settled = settle(earlier.id);
                    if (settled.status != OrderStatus.PENDING) {
                        metrics.settled(settled);
                        LOG.infof("order %s, left PENDING by a placer that is gone, settled by a retry: %s", settled.id, settled.status);
                    }
                    return new Placement(settled, false);
                }
            }
        }
        return new Placement(loaded(earlier), false);
    }

    static String fingerprint(String customerId, String currency, String cardToken, List<Line> lines) {
        List<Object> parts = new ArrayList<>(List.of(customerId, currency, cardToken, lines.size()));
        for (Line l : lines) {
            parts.add(l.sku());
            parts.add(l.quantity());
            parts.add(l.unitPrice());
        }
        return RequestFingerprint.of(parts.toArray());
    }

    /**
     * One payment attempt for a PENDING order: charge through payment-service, then record the answer. An
     * order in any other state is returned unchanged. Never throws because payment-service is down.
     */
    public Order settle(UUID orderId) {
        Order order = read(orderId);
        if (order.status != OrderStatus.PENDING) {
            return order;
        }
        ChargeResult result;
        try {
            result = payments.charge(order.id, order.total, order.currency, order.cardToken);
        } catch (PaymentUnavailableException e) {
            LOG.warnf("order %s stays PENDING: %s", orderId, e.getMessage());
            return update(orderId, o -> scheduleRetry(o, e.getMessage()));
        }
        return update(orderId, o -> record(o, result));
    }

    private boolean record(Order o, ChargeResult result) {
        if (o.status == OrderStatus.CANCELLED) {
            // cancelled while the charge was in flight: give the money back
            if (result instanceof ChargeResult.Approved) {
                o.refund = RefundStatus.DUE;
                o.nextAttemptAt = now();
                return true;
            }
            return false;
        }
        if (o.status != OrderStatus.PENDING) {
            return false; // another replica recorded it first
        }
        if (result instanceof ChargeResult.Approved a) {
            o.status = OrderStatus.PAID;
            o.paymentId = a.paymentId();
            o.failureReason = null;
        } else if (result instanceof ChargeResult.Declined d) {
            o.status = OrderStatus.PAYMENT_FAILED;
            o.paymentId = d.paymentId();
            o.failureReason = reason("payment declined: " + d.reason());
        } else if (result instanceof ChargeResult.Rejected r) {
            o.status = OrderStatus.PAYMENT_FAILED;
            o.failureReason = reason(r.reason());
        }
        o.nextAttemptAt = null;
        return true;
    }

    private boolean scheduleRetry(Order o, String reason) {
        if (o.status != OrderStatus.PENDING && o.refund != RefundStatus.DUE) {
            return false;
        }
        o.paymentAttempts++;
        o.nextAttemptAt = now().plus(backoff(o.paymentAttempts, config.paymentRetry().initialBackoff(), config.paymentRetry().maxBackoff()));
        if (o.status == OrderStatus.PENDING) {
            o.failureReason = reason(reason);
        }
        return true;
    }

    /** Fits the {@code failure_reason} column. */
    private static String reason(String text) {
        return text.length() <= 255 ? text : text.substring(0, 254) + "…";
    }

    /** Exponential: initial, 2×initial, 4×initial … capped at max. attempts counts from 1. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = initial.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }

    /**
     * Cancels an order; idempotent. A PAID order is refunded at once when payment-service answers, otherwise
     * by the reconciler. A PENDING order's refund check waits until its current payment attempt's lease ends,
     * so a charge still in flight cannot slip past it.
     */
    public Order cancel(UUID orderId) {
        boolean[] cancelledNow = {false};
        Order order = update(orderId, o -> {
            switch (o.status) {
                case CANCELLED -> {
                    return false;
                }
                case PAYMENT_FAILED -> o.status = OrderStatus.CANCELLED;
                case PAID -> {
                    o.status = OrderStatus.CANCELLED;
                    o.refund = RefundStatus.DUE;
                    o.nextAttemptAt = now();
                }
                case PENDING -> {
                    o.status = OrderStatus.CANCELLED;
                    o.refund = RefundStatus.DUE;
                    Instant now = now();
                    o.nextAttemptAt = o.nextAttemptAt != null && o.nextAttemptAt.isAfter(now) ? o.nextAttemptAt : now;
                    o.failureReason = null;
                }
            }
            cancelledNow[0] = true;
            return true;
        });
        if (cancelledNow[0]) {
            metrics.cancelledOrder();
            LOG.infof("order %s cancelled (refund %s)", orderId, order.refund);
        }
        if (order.refund == RefundStatus.DUE && !order.nextAttemptAt.isAfter(now())) {
            return refund(orderId);
        }
        return order;
    }

    /**
     * Refunds every approved payment of a cancelled order whose refund is due, then marks it DONE — unless the
     * order changed meanwhile (a late charge was recorded), in which case it stays DUE for another pass.
     */
    public Order refund(UUID orderId) {
        Order order = read(orderId);
        if (order.refund != RefundStatus.DUE) {
            return order;
        }
        long seen = order.version;
        try {
            for (PaymentClient.Payment p : payments.paymentsFor(orderId)) {
                if ("APPROVED".equals(p.status())) {
                    payments.refund(p.id());
                }
            }
        } catch (PaymentUnavailableException e) {
            LOG.warnf("refund of order %s postponed: %s", orderId, e.getMessage());
            return update(orderId, o -> scheduleRetry(o, e.getMessage()));
        }
        Order done = update(orderId, o -> {
            if (o.version != seen || o.refund != RefundStatus.DUE) {
                return false;
            }
            o.refund = RefundStatus.DONE;
            o.nextAttemptAt = null;
            return true;
        });
        if (done.refund == RefundStatus.DONE) {
            LOG.infof("order %s refunded", orderId);
        }
        return done;
    }

    public Order get(UUID id) {
        return read(id);
    }

    public PageOf<Order> list(OrderStatus status, String customerId, PageRequest request) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Order> items = Order.page(status, customerId, Page.of(request.page(), request.size()));
            items.forEach(OrderService::loaded);
            return new PageOf<>(items, request.page(), request.size(), Order.count(status, customerId));
        });
    }

    /**
     * Claims up to {@code batchSize} orders whose payment-side work is due, leasing them so that other
     * replicas skip them ({@code FOR UPDATE SKIP LOCKED}). Returns their ids.
     */
    public List<UUID> claimDue(int batchSize) {
        Instant now = now();
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> ids = Order.getEntityManager().createNativeQuery("""
                    UPDATE {h-schema}orders SET next_attempt_at = :lease
                    WHERE id IN (SELECT id FROM {h-schema}orders
                                 WHERE (status = 'PENDING' OR refund = 'DUE') AND next_attempt_at <= :now
                                 ORDER BY next_attempt_at LIMIT :n FOR UPDATE SKIP LOCKED)
                    RETURNING id""", UUID.class)
                    .setParameter("lease", now.plus(config.paymentRetry().lease()))
                    .setParameter("now", now)
                    .setParameter("n", batchSize)
                    .getResultList();
            return ids;
        });
    }

    private Order read(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> loaded(
                Order.<Order>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("order", id))));
    }

    /** A change to one locked order; returns whether it changed anything. */
    @FunctionalInterface
    interface Change {
        boolean apply(Order o);
    }

    /** Applies {@code change} under a row lock in its own transaction; an unchanged order is not written. */
    private Order update(UUID id, Change change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Order o = Order.<Order>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow(() -> ProblemException.notFound("order", id));
            if (change.apply(o)) {
                o.updatedAt = now(); // an unchanged order is not dirty, so it is not written
            }
            return loaded(o);
        });
    }

    /** Initialises the lazy lines so the order can be used after its transaction. */
    private static Order loaded(Order o) {
        o.items.size();
        return o;
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
