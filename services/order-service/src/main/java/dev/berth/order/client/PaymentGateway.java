package dev.berth.order.client;

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
 * The resilient way to payment-service: every call has a timeout, is retried on transient failures (safe:
 * charges reuse the order's idempotency key, refunds are idempotent) and goes through one circuit breaker
 * per method, so a dead payment-service costs a fast failure instead of a thread per request.
 *
 * <p>Every method either returns payment-service's answer or throws {@link PaymentUnavailableException}.
 * Override the policies with MicroProfile keys, e.g.
 * {@code quarkus.fault-tolerance."dev.berth.order.client.PaymentGateway$Guarded/call".timeout.value=500}.
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
     * The fault-tolerance policies, one set for the whole dependency: a single circuit breaker opens when
     * payment-service fails, whichever call notices. A separate bean so the interceptors apply.
     */
    @ApplicationScoped
    public static class Guarded {

        @Timeout(value = 2, unit = ChronoUnit.SECONDS)
        @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = Rejected.class,
                retryOn = {ProcessingException.class, Transient.class, org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class})
        @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000, successThreshold = 2, skipOn = Rejected.class)
        <T> T call(Supplier<T> request) {
            try {
                return request.get();
            } catch (WebApplicationException e) {
                throw classify(e);
            }
        }
    }
}
