package dev.berth.payment.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.payment.model.Payment;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import dev.berth.testing.Concurrently;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Service tier: idempotency under concurrency, enforced by PostgreSQL's unique constraint. */
@QuarkusTest
class PaymentServiceTest {

    static final int DUPLICATES = 20;

    @Inject
    PaymentService payments;

    @Test
    void twentyConcurrentDuplicatesCreateExactlyOnePayment() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        List<PaymentService.Outcome> outcomes = Concurrently.run(DUPLICATES,
                i -> payments.create(key, orderId, new BigDecimal("99.99"), "EUR", "tok_visa"));

        assertThat(outcomes.stream().map(o -> o.payment().id).collect(Collectors.toSet())).hasSize(1);
        assertThat(outcomes.stream().filter(PaymentService.Outcome::created)).hasSize(1);
        long rows = QuarkusTransaction.requiringNew().call(() -> Payment.count("idempotencyKey", key));
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void concurrentRequestsReusingAKeyForDifferentBodiesGetConflicts() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        List<Object> results = Concurrently.run(DUPLICATES, i -> {
            try {
                return payments.create(key, orderId, new BigDecimal(10 + i), "EUR", "tok_visa");
            } catch (ProblemException e) {
                return e.type();
            }
        });
        long created = results.stream().filter(r -> r instanceof PaymentService.Outcome o && o.created()).count();
        long conflicts = results.stream().filter(r -> r == ProblemType.IDEMPOTENCY_CONFLICT).count();
        assertThat(created).isEqualTo(1);
        assertThat(conflicts).isEqualTo(DUPLICATES - 1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Payment.count("idempotencyKey", key))).isEqualTo(1);
    }

    @Test
    void concurrentRefundsRefundOnce() throws Exception {
        var created = payments.create("r-" + UUID.randomUUID(), UUID.randomUUID(), new BigDecimal("5.00"), "EUR", "tok_visa");
        UUID id = created.payment().id;
        List<Payment> refunds = Concurrently.run(8, i -> payments.refund(id));
        Set<Object> refundedAt = refunds.stream().map(p -> p.refundedAt).collect(Collectors.toSet());
        assertThat(refundedAt).hasSize(1);
        assertThat(payments.get(id).status).isEqualTo(dev.berth.payment.model.PaymentStatus.REFUNDED);
    }
}
