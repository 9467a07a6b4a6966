package dev.berth.payment.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Business metrics, scraped at {@code /q/metrics}: {@code payments_total{outcome}} (approved, declined,
 * refunded), {@code payment_processor_calls_total} (authorisations asked for: one per idempotency key unless a
 * reservation was abandoned) and {@code payment_processing_seconds} (a histogram of processor time).
 */
@ApplicationScoped
public class PaymentMetrics {

    private final Counter approved;
    private final Counter declined;
    private final Counter refunded;
    private final Counter processorCalls;
    private final Timer processing;

    public PaymentMetrics(MeterRegistry registry) {
        this.approved = outcome(registry, "approved");
        this.declined = outcome(registry, "declined");
        this.refunded = outcome(registry, "refunded");
        this.processorCalls = Counter.builder("payment.processor.calls")
                .description("Authorisations asked of the payment processor").register(registry);
        this.processing = Timer.builder("payment.processing")
                .description("Time the payment processor took to authorise a payment")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("payments").description("Payments by outcome").tag("outcome", outcome).register(registry);
    }

    public void processorCalled() {
        processorCalls.increment();
    }

    public void processed(boolean approvedPayment, Duration took) {
        (approvedPayment ? approved : declined).increment();
        processing.record(took);
    }

    public void refundedPayment() {
        refunded.increment();
    }
}
