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

    @Inject
    ReservationLocks locks;

    @TestHTTPResource("/api/payments")
    URI endpoint;

    double processorCalls() {
        return processorCalls(registry);
    }

    /** The counter is registered with PaymentMetrics, on the first payment of this run. */
    static double processorCalls(MeterRegistry registry) {
        var counter = registry.find("payment.processor.calls").counter();
        return counter == null ? 0 : counter.count();
    }

    static long rowsWithKey(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Payment.count("idempotencyKey", key));
    }

    static PaymentStatus statusOf(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Payment.findByIdempotencyKey(key).orElseThrow().status);
    }

    HttpResponse<String> post(String key, String body) throws Exception {
        return HTTP.send(postRequest(endpoint, key, body), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest postRequest(URI endpoint, String key, String body) {
        return HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static String paymentBody(UUID orderId, String amount) {
        return "{\"orderId\":\"" + orderId + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\",\"cardToken\":\"tok_visa\"}";
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyAskTheProcessorOnce() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        String body = paymentBody(UUID.randomUUID(), "99.99");
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

    /**
     * One request wins the key; the others are conflicts, or — arriving while the winner held the key's lock but had
     * not yet recorded what it asks for — in progress, and conflicts when repeated.
     */
    @Test
    void concurrentRequestsReusingAKeyForDifferentBodiesGetConflicts() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        double before = processorCalls();
        Concurrently.Call<Object> request = i -> {
            try {
                return payments.create(key, orderId, new BigDecimal(10 + i), "EUR", "tok_visa");
            } catch (ProblemException e) {
                return e.type();
            }
        };
        List<Object> results = Concurrently.run(DUPLICATES, request);
        long created = results.stream().filter(r -> r instanceof PaymentService.Outcome o && o.created()).count();
        assertThat(created).isEqualTo(1);
        for (int i = 0; i < DUPLICATES; i++) {
            if (!(results.get(i) instanceof PaymentService.Outcome)) {
                assertThat(results.get(i)).isIn(ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.IDEMPOTENCY_IN_PROGRESS);
                assertThat(request.run(i)).as("request %d repeated", i).isEqualTo(ProblemType.IDEMPOTENCY_CONFLICT);
            }
        }
        assertThat(rowsWithKey(key)).isEqualTo(1);
        assertThat(processorCalls() - before).isEqualTo(1);
    }

    /**
     * A reservation whose holder still holds the key's lock (a hung replica, here this test): fresh, it is in
     * progress; past its lease, taken over.
     */
    @Test
    void aHungHoldersReservationIsTakenOverOnceItsLeaseIsOver() {
        UUID orderId = UUID.randomUUID();
        BigDecimal amount = new BigDecimal("12.00");
        String fresh = "held-" + UUID.randomUUID();
        String hung = "held-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        reservation(fresh, orderId, amount, now);
        reservation(hung, orderId, amount, now.minusSeconds(3600));
        double before = processorCalls();

        try (var freshHolder = locks.tryHold(fresh); var hungHolder = locks.tryHold(hung)) {
            assertThat(freshHolder.held()).isTrue();
            assertThat(hungHolder.held()).isTrue();
            assertThatThrownBy(() -> payments.create(fresh, orderId, amount, "EUR", "tok_visa"))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IDEMPOTENCY_IN_PROGRESS));
            var taken = payments.create(hung, orderId, amount, "EUR", "tok_visa");

            assertThat(taken.created()).isTrue();
            assertThat(taken.payment().status).isEqualTo(PaymentStatus.APPROVED);
        }
        assertThat(processorCalls() - before).isEqualTo(1);
        assertThat(statusOf(hung)).isEqualTo(PaymentStatus.APPROVED);
        assertThat(statusOf(fresh)).isEqualTo(PaymentStatus.PENDING);
        assertThat(rowsWithKey(hung)).isEqualTo(1);
    }

    /** A fresh reservation whose key's lock is free: its holder's connection, so its replica, is gone. */
    @Test
    void aReservationWithoutItsLockIsTakenOverAtOnce() {
        UUID orderId = UUID.randomUUID();
        BigDecimal amount = new BigDecimal("13.00");
        String key = "dead-" + UUID.randomUUID();
        reservation(key, orderId, amount, Instant.now().truncatedTo(ChronoUnit.MICROS));
        double before = processorCalls();

        var taken = payments.create(key, orderId, amount, "EUR", "tok_visa");

        assertThat(taken.created()).isTrue();
        assertThat(taken.payment().status).isEqualTo(PaymentStatus.APPROVED);
        assertThat(processorCalls() - before).isEqualTo(1);
        assertThat(rowsWithKey(key)).isEqualTo(1);
    }

    /** Two keys whose locks collide ("Aa" and "BB" share a String hash): the second waits its turn, with a 409. */
    @Test
    void aKeySharingItsLockWithAKeyInProgressIsRefusedUntilTheLockIsFree() {
        String prefix = "collide-" + UUID.randomUUID() + "-";
        String inProgress = prefix + "Aa";
        String other = prefix + "BB";
        assertThat(ReservationLocks.lockId(other)).isEqualTo(ReservationLocks.lockId(inProgress));
        UUID orderId = UUID.randomUUID();
        BigDecimal amount = new BigDecimal("14.00");

        try (var holder = locks.tryHold(inProgress)) {
            assertThat(holder.held()).isTrue();
            assertThatThrownBy(() -> payments.create(other, orderId, amount, "EUR", "tok_visa"))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IDEMPOTENCY_IN_PROGRESS));
            assertThat(rowsWithKey(other)).isZero();
        }
        var created = payments.create(other, orderId, amount, "EUR", "tok_visa");

        assertThat(created.created()).isTrue();
        assertThat(created.payment().status).isEqualTo(PaymentStatus.APPROVED);
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
