package dev.berth.payment.service;

import dev.berth.payment.config.PaymentConfig;
import dev.berth.payment.model.Payment;
import dev.berth.payment.model.PaymentStatus;
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
 * <p>Idempotency is enforced by the database, before the processor is asked: a request first reserves its
 * key by inserting a PENDING payment (a concurrent duplicate loses on the unique constraint), then calls the
 * processor outside any JTA transaction (its latency holds only the key's lock connection, from a pool of its
 * own, never one of the main pool), then records the answer. So
 * the processor is asked once per key. Same key + same request → the same payment, or, while the first is
 * still being processed, 409 {@code idempotency-key-in-progress} with {@code Retry-After} (as Stripe does, and
 * as the IETF Idempotency-Key draft says); same key + another request → 409 {@code idempotency-key-reused}.
 *
 * <p>A replica that dies mid-call leaves its reservation PENDING. The reserving request holds its key's lock
 * ({@link ReservationLocks}) until the payment is recorded, and PostgreSQL frees the lock as soon as the dead
 * replica's connection closes: the next request with the key finds the lock free and takes the reservation over at
 * once. Only a request holding the key's lock reserves a new key or takes over a live-looking reservation, so two
 * live requests with one key never both ask the processor. A reservation whose holder still holds the lock but is
 * older than {@code payment.reservation.lease} is taken over too: its holder hangs (a stalled replica, a connection
 * the server has not yet seen die).
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);

    private final SimulatedPaymentProcessor processor;
    private final PaymentMetrics metrics;
    private final PaymentConfig config;
    private final ReservationLocks locks;
    private final Clock clock;

    public PaymentService(SimulatedPaymentProcessor processor, PaymentMetrics metrics, PaymentConfig config, ReservationLocks locks) {
        this.processor = processor;
        this.metrics = metrics;
        this.config = config;
        this.locks = locks;
        this.clock = Clock.systemUTC();
    }

    /** What {@link #create} did: a new payment, or the one an earlier request with the same key made. */
    public record Outcome(Payment payment, boolean created) {}

    /**
     * @throws ProblemException 409 {@code IDEMPOTENCY_CONFLICT} for another request under the same key, 409
     *     {@code IDEMPOTENCY_IN_PROGRESS} while a request with this key (or one sharing its lock) is being
     *     processed — also for another request under the key that comes before the first has reserved it, which
     *     gets the conflict when repeated — 503 when the processor is unavailable (the key is released, so the
     *     request can be repeated)
     */
    public Outcome create(String idempotencyKey, UUID orderId, BigDecimal amount, String currency, String cardToken) {
        String fingerprint = RequestFingerprint.of(orderId, amount, currency, cardToken);
        // held from before the reservation until after the answer is recorded (or the key released)
        try (HolderLock.Hold lock = locks.tryHold(idempotencyKey)) {
            Payment reservation = reserve(idempotencyKey, fingerprint, orderId, amount, currency, lock.held());
            if (reservation.status != PaymentStatus.PENDING) {
                return new Outcome(reservation, false);
            }
            return authorize(reservation, amount, currency, cardToken);
        }
    }

    /** Asks the processor for this request's own reservation and records the answer. */
    private Outcome authorize(Payment reservation, BigDecimal amount, String currency, String cardToken) {
        Authorization authorization;
        long started = System.nanoTime();
        try {
            metrics.processorCalled();
            authorization = processor.authorize(amount, currency, cardToken);
        } catch (RuntimeException e) {
            release(reservation);
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Payment payment = complete(reservation, authorization);
        metrics.processed(authorization.approved(), took);
        LOG.infof("payment %s for order %s %s%s", payment.id, payment.orderId, payment.status,
                payment.declineReason == null ? "" : " (" + payment.declineReason + ")");
        return new Outcome(payment, true);
    }

    /**
     * Returns this request's own PENDING reservation (the caller asks the processor), or the finished payment an
     * earlier request with the key made (a replay).
     *
     * @param lockHeld whether this request holds the key's lock
     */
    private Payment reserve(String idempotencyKey, String fingerprint, UUID orderId, BigDecimal amount, String currency, boolean lockHeld) {
        var earlier = QuarkusTransaction.requiringNew().call(() -> Payment.findByIdempotencyKey(idempotencyKey));
        if (earlier.isPresent()) {
            return resume(earlier.get(), fingerprint, lockHeld);
        }
        if (!lockHeld) {
            // a live request holds the lock and is about to reserve the key (or holds a key sharing its lock)
            throw inProgress("a request with this Idempotency-Key is still being processed");
        }
        Payment payment = new Payment();
        payment.id = UUID.randomUUID();
        payment.idempotencyKey = idempotencyKey;
        payment.requestFingerprint = fingerprint;
        payment.orderId = orderId;
        payment.amount = amount;
        payment.currency = currency;
        payment.status = PaymentStatus.PENDING;
        payment.createdAt = now();
        payment.updatedAt = payment.createdAt;
        try {
            QuarkusTransaction.requiringNew().run(payment::persistAndFlush);
            return payment;
        } catch (PersistenceException e) {
            if (!UniqueViolation.of(e, Payment.IDEMPOTENCY_CONSTRAINT)) {
                throw e;
            }
            // a request without the lock reserved the key first (a replica running a version without the locks):
            // its holder may be alive, so only its lease decides
            return resume(QuarkusTransaction.requiringNew().call(() -> Payment.findByIdempotencyKey(idempotencyKey).orElseThrow()), fingerprint, false);
        }
    }

    /**
     * An earlier request holds the key: replay its payment, or take over its reservation if it was abandoned — at
     * once when this request holds the key's lock (the holder's connection, so the holder, is gone), else once the
     * lease is over (the holder hangs).
     */
    private Payment resume(Payment earlier, String fingerprint, boolean lockHeld) {
        if (!earlier.requestFingerprint.equals(fingerprint)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_CONFLICT,
                    "this Idempotency-Key was used for a different payment request (payment " + earlier.id + ")");
        }
        if (earlier.status != PaymentStatus.PENDING) {
            return earlier;
        }
        Instant now = now();
        boolean leaseOver = earlier.updatedAt.plus(config.reservation().lease()).isBefore(now);
        if (lockHeld || leaseOver) {
            // compare-and-set on the version: of several retries of an abandoned key, exactly one takes it over
            int taken = QuarkusTransaction.requiringNew().call(() -> Payment.update(
                    "updatedAt = ?1, version = version + 1 where id = ?2 and status = ?3 and version = ?4",
                    now, earlier.id, PaymentStatus.PENDING, earlier.version));
            if (taken == 1) {
                LOG.warnf("payment %s: reservation of %s abandoned (%s), asking the processor again", earlier.id, earlier.updatedAt,
                        lockHeld ? "its holder's connection is gone" : "its lease is over");
                return QuarkusTransaction.requiringNew().call(() -> Payment.<Payment>findById(earlier.id));
            }
        }
        throw inProgress("a request with this Idempotency-Key is still being processed (payment " + earlier.id + ")");
    }

    private static ProblemException inProgress(String detail) {
        return new ProblemException(ProblemType.IDEMPOTENCY_IN_PROGRESS, detail);
    }

    /** Records the processor's answer on the reservation, unless another request recorded one first. */
    private Payment complete(Payment reservation, Authorization authorization) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Payment p = Payment.<Payment>findByIdOptional(reservation.id, LockModeType.PESSIMISTIC_WRITE).orElseThrow();
            if (p.status == PaymentStatus.PENDING) {
                p.status = authorization.approved() ? PaymentStatus.APPROVED : PaymentStatus.DECLINED;
                p.declineReason = authorization.declineReason();
                p.updatedAt = now();
            }
            return p;
        });
    }

    /** The processor did not answer: give the key back so the client's retry asks again. */
    private void release(Payment reservation) {
        try {
            QuarkusTransaction.requiringNew().run(() ->
                    Payment.delete("id = ?1 and status = ?2 and version = ?3", reservation.id, PaymentStatus.PENDING, reservation.version));
        } catch (RuntimeException e) {
            // the lease frees the key instead; the processor's failure is the error worth reporting
            LOG.warnf(e, "payment %s: could not release the reservation; it expires after %s", reservation.id, config.reservation().lease());
        }
    }

    /** PostgreSQL keeps microseconds: truncating here makes a fresh response equal a re-read one. */
    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
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
     * @throws ProblemException 404 if unknown, 409 if the payment was declined or is still being authorised
     */
    @Transactional
    public Payment refund(UUID id) {
        Payment payment = Payment.<Payment>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("payment", id));
        switch (payment.status) {
            case REFUNDED -> { }
            case PENDING -> throw new ProblemException(ProblemType.INVALID_STATE, "payment " + id + " is still being authorised; refund it once it is approved");
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
