package dev.berth.order.client;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The resilient way to payment-service: every attempt has a timeout, transient failures are retried (safe:
 * charges reuse the order's idempotency key, refunds are idempotent) before they count, and every call goes
 * through one circuit breaker, so a dead payment-service costs a fast failure instead of a thread per request
 * while the loss of one of its replicas costs nothing.
 *
 * <p>Every method either returns payment-service's answer or throws {@link PaymentUnavailableException}.
 * Override the policies with MicroProfile keys, e.g.
 * {@code quarkus.fault-tolerance."dev.berth.order.client.PaymentGateway$Attempts/call".timeout.value=500}.
 */
@ApplicationScoped
public class PaymentGateway {

    private final PaymentClient client;
    private final Guarded guarded;

    public PaymentGateway(@RestClient PaymentClient client, Guarded guarded) {
        this.client = client;
        this.guarded = guarded;
    }

    /** The idempotency key payment-service sees for an order: the same on every attempt. */
    public static String chargeKey(UUID orderId) {
        return "order-" + orderId;
    }

    public ChargeResult charge(UUID orderId, BigDecimal amount, String currency, String cardToken) {
        try {
            var payment = unavailableOnFailure(() -> guarded.call(() -> client.create(chargeKey(orderId), new PaymentClient.NewPayment(orderId, amount, currency, cardToken))));
            return "APPROVED".equals(payment.status())
                    ? new ChargeResult.Approved(payment.id())
                    : new ChargeResult.Declined(payment.id(), payment.declineReason());
        } catch (Rejected r) {
            return new ChargeResult.Rejected(r.getMessage());
        }
    }

    /** Every payment payment-service holds for an order (at most one per key, so a handful). */
    public List<PaymentClient.Payment> paymentsFor(UUID orderId) {
        return unavailableOnFailure(() -> guarded.call(() -> client.forOrder(orderId, 100))).items();
    }

    public PaymentClient.Payment refund(UUID paymentId) {
        return unavailableOnFailure(() -> guarded.call(() -> client.refund(paymentId)));
    }

    private static <T> T unavailableOnFailure(Supplier<T> call) {
        try {
            return call.get();
        } catch (Rejected r) {
            throw r;
        } catch (FaultToleranceException | ProcessingException | Transient e) {
            throw new PaymentUnavailableException("payment-service unavailable: " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }

    /** A 5xx, or an answer with {@code Retry-After} (409 "key in progress", 429): worth retrying. */
    static final class Transient extends RuntimeException {
        Transient(String message) {
            super(message, null, false, false);
        }
    }

    /** A 4xx without Retry-After: payment-service will say the same again. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    static RuntimeException classify(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        // Retry-After (RFC 9110 §10.2.3) says the same request will do later: payment-service sends it with
        // 409 while another request holding the charge's idempotency key is still being authorised
        return status >= 500 || status == 429 || e.getResponse().getHeaderString("Retry-After") != null
                ? new Transient("HTTP " + status)
                : new Rejected("payment-service rejected the request (HTTP " + status + ")");
    }

    /**
     * The circuit breaker, one for the whole dependency: it opens when payment-service fails, whichever call
     * notices. It counts calls, not attempts: each call has already been retried by {@link Attempts}, so the
     * death of one of several replicas (its in-flight calls fail at once, and new connections may still reach it
     * until it leaves the Service) costs a retry on another replica, not a failure — only a dependency that
     * stays unreachable for every attempt of 10 of the last 20 calls opens it. A separate bean so the
     * interceptors apply.
     */
    @ApplicationScoped
    public static class Guarded {

        private final Attempts attempts;

        public Guarded(Attempts attempts) {
            this.attempts = attempts;
        }

        @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2, skipOn = Rejected.class)
        <T> T call(Supplier<T> request) {
            return attempts.call(request);
        }
    }

    /**
     * One call's attempts: each has its own timeout (4 s: the processor answers in well under a second, but a
     * replica that has just become Ready answers its first requests slowly while it warms up) and a connection
     * failure, timeout or retryable answer is tried again on a fresh connection, which the Service routes to a
     * replica that is alive. The waits double (50 ms, 100 ms, … 800 ms: 1.5 s in all) so the retries outlast the
     * moment a dead replica's address is still routed — a connection-level Service (kube-proxy, Berth's kernel
     * path) sends a new connection to it until its Endpoints change has been applied, and has no retry of its own.
     * Every call is safe to repeat: charges reuse the order's idempotency key, refunds are idempotent, reads are
     * reads. At most 6 attempts within 12 s, inside the reconciler's 30 s lease.
     */
    @ApplicationScoped
    public static class Attempts {

        @Timeout(value = 4, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 5, delay = 50, jitter = 25, maxDuration = 12, durationUnit = ChronoUnit.SECONDS, abortOn = Rejected.class,
                retryOn = {ProcessingException.class, Transient.class, org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class})
        @ExponentialBackoff(factor = 2, maxDelay = 800, maxDelayUnit = ChronoUnit.MILLIS)
        <T> T call(Supplier<T> request) {
            try {
                return request.get();
            } catch (WebApplicationException e) {
                throw classify(e);
            }
        }
    }
}
