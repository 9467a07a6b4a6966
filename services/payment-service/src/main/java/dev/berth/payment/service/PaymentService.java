package dev.berth.payment.service;

import dev.berth.payment.model.Payment;
import dev.berth.payment.model.PaymentStatus;
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
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Payments: idempotent creation, refunds, queries.
 *
 * <p>Idempotency is enforced by the database: the processor is called outside any transaction (so
 * injected latency never holds a connection), then the payment is inserted; a concurrent duplicate loses
 * on the unique constraint and answers with the winner's payment. Same key + same request → the same
 * payment; same key + another request → 409.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);

    private final SimulatedPaymentProcessor processor;
    private final PaymentMetrics metrics;
    private final Clock clock;

    public PaymentService(SimulatedPaymentProcessor processor, PaymentMetrics metrics) {
        this.processor = processor;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
    }

    /** What {@link #create} did: a new payment, or the one an earlier request with the same key made. */
    public record Outcome(Payment payment, boolean created) {}

    public Outcome create(String idempotencyKey, UUID orderId, BigDecimal amount, String currency, String cardToken) {
        String fingerprint = RequestFingerprint.of(orderId, amount, currency, cardToken);
        var earlier = QuarkusTransaction.requiringNew().call(() -> Payment.findByIdempotencyKey(idempotencyKey));
        if (earlier.isPresent()) {
            return replay(earlier.get(), fingerprint);
        }

        long started = System.nanoTime();
        Authorization authorization = processor.authorize(amount, currency, cardToken);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Payment payment = new Payment();
        payment.id = UUID.randomUUID();
        payment.idempotencyKey = idempotencyKey;
        payment.requestFingerprint = fingerprint;
        payment.orderId = orderId;
        payment.amount = amount;
        payment.currency = currency;
        payment.status = authorization.approved() ? PaymentStatus.APPROVED : PaymentStatus.DECLINED;
        payment.declineReason = authorization.declineReason();
        payment.createdAt = now();
        payment.updatedAt = payment.createdAt;
        try {
            QuarkusTransaction.requiringNew().run(payment::persistAndFlush);
        } catch (PersistenceException e) {
            if (!UniqueViolation.of(e, Payment.IDEMPOTENCY_CONSTRAINT)) {
                throw e;
            }
            // A concurrent duplicate committed first: answer with its payment.
            Payment winner = QuarkusTransaction.requiringNew()
                    .call(() -> Payment.findByIdempotencyKey(idempotencyKey).orElseThrow());
            return replay(winner, fingerprint);
        }
        metrics.processed(authorization.approved(), took);
        LOG.infof("payment %s for order %s %s%s", payment.id, orderId, payment.status,
                payment.declineReason == null ? "" : " (" + payment.declineReason + ")");
        return new Outcome(payment, true);
    }

    /** PostgreSQL keeps microseconds: truncating here makes a fresh response equal a re-read one. */
    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    private static Outcome replay(Payment earlier, String fingerprint) {
        if (!earlier.requestFingerprint.equals(fingerprint)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_CONFLICT,
                    "this Idempotency-Key was used for a different payment request (payment " + earlier.id + ")");
        }
        return new Outcome(earlier, false);
    }

    public Payment get(UUID id) {
        return Payment.<Payment>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("payment", id));
    }

    public PageOf<Payment> list(UUID orderId, PageRequest request) {
        var items = Payment.page(orderId, Page.of(request.page(), request.size()));
        return new PageOf<>(items, request.page(), request.size(), Payment.countFor(orderId));
    }

    /**
     * Refunds an approved payment. Idempotent: refunding a refunded payment returns it unchanged.
     *
     * @throws ProblemException 404 if unknown, 409 if the payment was declined
     */
    @Transactional
    public Payment refund(UUID id) {
        Payment payment = Payment.<Payment>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("payment", id));
        switch (payment.status) {
            case REFUNDED -> { }
            case DECLINED -> throw new ProblemException(ProblemType.INVALID_STATE, "payment " + id + " was declined; there is nothing to refund");
            case APPROVED -> {
                payment.status = PaymentStatus.REFUNDED;
                payment.refundedAt = now();
                payment.updatedAt = payment.refundedAt;
                metrics.refundedPayment();
                LOG.infof("payment %s for order %s refunded", payment.id, payment.orderId);
            }
        }
        return payment;
    }
}
