package dev.berth.payment.service;

import dev.berth.payment.config.PaymentConfig;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A card processor stand-in with deterministic, documented outcomes:
 * <ul>
 *   <li>{@value #DECLINE_TOKEN} → declined, {@code card_declined};</li>
 *   <li>{@value #INSUFFICIENT_FUNDS_TOKEN} → declined, {@code insufficient_funds};</li>
 *   <li>an amount above {@code payment.processor.amount-limit} (default 10000.00) → declined,
 *       {@code amount_limit_exceeded};</li>
 *   <li>anything else → approved.</li>
 * </ul>
 * A real processor would receive the idempotency key too, so a retried authorisation is never charged
 * twice; this one is a pure function of its input, which gives the same guarantee. Chaos settings add
 * latency and unavailability (see {@link PaymentConfig.Chaos}). Thread-safe.
 */
@ApplicationScoped
public class SimulatedPaymentProcessor {

    public static final String DECLINE_TOKEN = "tok_decline";
    public static final String INSUFFICIENT_FUNDS_TOKEN = "tok_insufficient_funds";

    private final PaymentConfig config;

    public SimulatedPaymentProcessor(PaymentConfig config) {
        this.config = config;
    }

    /**
     * @throws ProblemException {@code DEPENDENCY_UNAVAILABLE} when chaos injects a processor outage
     */
    public Authorization authorize(BigDecimal amount, String currency, String cardToken) {
        injectChaos();
        if (DECLINE_TOKEN.equals(cardToken)) {
            return Authorization.decline("card_declined");
        }
        if (INSUFFICIENT_FUNDS_TOKEN.equals(cardToken)) {
            return Authorization.decline("insufficient_funds");
        }
        if (amount.compareTo(config.processor().amountLimit()) > 0) {
            return Authorization.decline("amount_limit_exceeded");
        }
        return Authorization.approve();
    }

    private void injectChaos() {
        long latencyMillis = config.chaos().latency().toMillis();
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis); // injected processor latency (chaos), off by default
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE, "payment processor call interrupted");
            }
        }
        double errorRate = config.chaos().errorRate();
        if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
            throw new ProblemException(ProblemType.DEPENDENCY_UNAVAILABLE, "payment processor unavailable (injected fault)");
        }
    }
}
