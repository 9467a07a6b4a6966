package dev.berth.payment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.payment.model.Payment;
import dev.berth.payment.model.PaymentStatus;
import dev.berth.support.idempotency.RequestFingerprint;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import dev.berth.testing.Concurrently;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Service tier: idempotency under truly concurrent requests, enforced by PostgreSQL's unique constraint before
 * the processor is asked. The processor takes 300 ms here, so duplicates really overlap the first request.
 */
@QuarkusTest
@TestProfile(PaymentServiceTest.SlowProcessor.class)
class PaymentServiceTest {

    static final int DUPLICATES = 20;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static class SlowProcessor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payment.chaos.latency", "300ms");
        }
    }

    @Inject
    PaymentService payments;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/api/payments")
    URI endpoint;

    /** The counter is registered with PaymentMetrics, on the first payment of this run. */
    double processorCalls() {
        var counter = registry.find("payment.processor.calls").counter();
        return counter == null ? 0 : counter.count();
    }

    static long rowsWithKey(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Payment.count("idempotencyKey", key));
    }

    HttpResponse<String> post(String key, String body) throws Exception {
        var request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyAskTheProcessorOnce() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        String body = "{\"orderId\":\"" + UUID.randomUUID() + "\",\"amount\":\"99.99\",\"currency\":\"EUR\",\"cardToken\":\"tok_visa\"}";
        double before = processorCalls();

        List<HttpResponse<String>> responses = Concurrently.run(DUPLICATES, i -> post(key, body));

        assertThat(processorCalls() - before).as("processor calls for one key").isEqualTo(1);
        assertThat(rowsWithKey(key)).isEqualTo(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        // the others overlapped the first: "in progress, repeat later" (or, if late, its replay)
        assertThat(responses).filteredOn(r -> r.statusCode() != 201).allSatisfy(r -> {
            assertThat(r.statusCode()).isIn(200, 409);
            if (r.statusCode() == 409) {
                assertThat(r.body()).contains("\"type\":\"https://berth.dev/problems/idempotency-key-in-progress\"");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            }
        });
        String id = responses.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow()
                .headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        HttpResponse<String> repeated = post(key, body);
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(repeated.body()).contains("\"id\":\"" + id + "\"", "\"status\":\"APPROVED\"");
        assertThat(processorCalls() - before).isEqualTo(1);
    }

    @Test
    void concurrentRequestsReusingAKeyForDifferentBodiesGetConflicts() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        double before = processorCalls();
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
        assertThat(rowsWithKey(key)).isEqualTo(1);
        assertThat(processorCalls() - before).isEqualTo(1);
    }

    /** A reservation left PENDING by a replica that died mid-call: fresh, it is in progress; past its lease, taken over. */
    @Test
    void anAbandonedReservationIsTakenOverOnceItsLeaseIsOver() {
        UUID orderId = UUID.randomUUID();
        BigDecimal amount = new BigDecimal("12.00");
        String fresh = "held-" + UUID.randomUUID();
        String abandoned = "held-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        reservation(fresh, orderId, amount, now);
        reservation(abandoned, orderId, amount, now.minusSeconds(3600));
        double before = processorCalls();

        assertThatThrownBy(() -> payments.create(fresh, orderId, amount, "EUR", "tok_visa"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IDEMPOTENCY_IN_PROGRESS));
        var taken = payments.create(abandoned, orderId, amount, "EUR", "tok_visa");

        assertThat(taken.created()).isTrue();
        assertThat(taken.payment().status).isEqualTo(PaymentStatus.APPROVED);
        assertThat(processorCalls() - before).isEqualTo(1);
        assertThat(payments.get(taken.payment().id).status).isEqualTo(PaymentStatus.APPROVED);
        assertThat(rowsWithKey(abandoned)).isEqualTo(1);
    }

    static void reservation(String key, UUID orderId, BigDecimal amount, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> {
            Payment p = new Payment();
            p.id = UUID.randomUUID();
            p.idempotencyKey = key;
            p.requestFingerprint = RequestFingerprint.of(orderId, amount, "EUR", "tok_visa");
            p.orderId = orderId;
            p.amount = amount;
            p.currency = "EUR";
            p.status = PaymentStatus.PENDING;
            p.createdAt = at;
            p.updatedAt = at;
            p.persist();
        });
    }

    @Test
    void concurrentRefundsRefundOnce() throws Exception {
        var created = payments.create("r-" + UUID.randomUUID(), UUID.randomUUID(), new BigDecimal("5.00"), "EUR", "tok_visa");
        UUID id = created.payment().id;
        List<Payment> refunds = Concurrently.run(8, i -> payments.refund(id));
        Set<Object> refundedAt = refunds.stream().map(p -> p.refundedAt).collect(Collectors.toSet());
        assertThat(refundedAt).hasSize(1);
        assertThat(payments.get(id).status).isEqualTo(PaymentStatus.REFUNDED);
    }
}
