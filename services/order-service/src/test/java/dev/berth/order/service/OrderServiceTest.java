package dev.berth.order.service;

import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.order.PaymentServiceProcess;
import dev.berth.order.config.OrderConfig;
import dev.berth.order.model.Order;
import dev.berth.order.model.OrderLine;
import dev.berth.order.model.OrderStatus;
import dev.berth.order.model.RefundStatus;
import dev.berth.testing.Concurrently;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Service tier: idempotency, payment outages, the reconciler's claims, refunds — real PostgreSQL and payment-service. */
@QuarkusTest
@QuarkusTestResource(PaymentServiceProcess.class)
class OrderServiceTest {

    @Inject
    OrderService orders;

    @Inject
    Scheduler scheduler;

    @Inject
    PaymentReconciler reconciler;

    @Inject
    OrderConfig config;

    @Inject
    SettleLocks locks;

    static List<OrderService.Line> lines(String price) {
        return List.of(new OrderService.Line("SKU-1", 1, new BigDecimal(price)));
    }

    static int paymentsOf(UUID orderId) {
        return given().baseUri(PaymentServiceProcess.process().url()).queryParam("orderId", orderId.toString())
                .get("/api/payments").then().statusCode(200).extract().path("total");
    }

    @Test
    void twentyConcurrentDuplicatesMakeOneOrderAndOnePayment() throws Exception {
        String key = "dup-" + UUID.randomUUID();
        String customer = "c-" + UUID.randomUUID();
        List<OrderService.Placement> placements = Concurrently.run(20, i -> orders.place(key, customer, "EUR", null, lines("12.00")));

        Set<UUID> ids = placements.stream().map(p -> p.order().id).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(placements.stream().filter(OrderService.Placement::created)).hasSize(1);
        UUID id = ids.iterator().next();
        assertThat(QuarkusTransaction.requiringNew().call(() -> Order.count("idempotencyKey", key))).isEqualTo(1);
        await().atMost(10, SECONDS).untilAsserted(() -> assertThat(orders.get(id).status).isEqualTo(OrderStatus.PAID));
        assertThat(paymentsOf(id)).isEqualTo(1);
    }

    @Test
    void anOrderPlacedWhilePaymentServiceIsDownIsKeptPendingAndPaidOnceItIsBack() {
        OrderService.Placement[] placed = new OrderService.Placement[1];
        UUID[] cancelledWhilePending = new UUID[1];
        PaymentServiceProcess.outage(() -> {
            placed[0] = orders.place("out-" + UUID.randomUUID(), "c-outage", "EUR", null, lines("8.00"));
            assertThat(placed[0].order().status).isEqualTo(OrderStatus.PENDING);
            assertThat(placed[0].order().failureReason).contains("payment-service unavailable");

            var other = orders.place("out-" + UUID.randomUUID(), "c-outage", "EUR", null, lines("9.00"));
            cancelledWhilePending[0] = other.order().id;
            Order cancelled = orders.cancel(cancelledWhilePending[0]);
            assertThat(cancelled.status).isEqualTo(OrderStatus.CANCELLED);
            assertThat(cancelled.refund).isEqualTo(RefundStatus.DUE);
        });
        UUID id = placed[0].order().id;
        UUID cancelled = cancelledWhilePending[0];
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(orders.get(id).status).isEqualTo(OrderStatus.PAID));
        assertThat(paymentsOf(id)).isEqualTo(1);
        // the cancelled one is never charged; its refund check completes once its lease is over
        await().atMost(60, SECONDS).untilAsserted(() -> assertThat(orders.get(cancelled).refund).isEqualTo(RefundStatus.DONE));
        assertThat(paymentsOf(cancelled)).isZero();
        assertThat(orders.get(cancelled).status).isEqualTo(OrderStatus.CANCELLED);
    }

    /** PENDING orders due since an hour ago, as payment-service's outage leaves them. */
    static List<UUID> dueOrders(int n, String customer) {
        List<UUID> due = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < n; i++) {
                Order o = new Order();
                o.id = UUID.randomUUID();
                o.idempotencyKey = "claim-" + o.id;
                o.requestFingerprint = "x";
                o.customerId = customer;
                o.currency = "EUR";
                o.total = BigDecimal.ONE;
                o.cardToken = "tok_visa";
                o.status = OrderStatus.PENDING;
                o.createdAt = Instant.now();
                o.updatedAt = o.createdAt;
                o.nextAttemptAt = Instant.now().minusSeconds(3600 + i);
                o.persist();
                due.add(o.id);
            }
        });
        return due;
    }

    /** issue 12: a pass settled at most one batch (20 orders per replica every 5 s), far below the arrival rate. */
    @Test
    void onePassDrainsABacklogOfSeveralBatches() throws Exception {
        scheduler.pause("payment-reconciler");
        try {
            List<UUID> backlog = dueOrders(3 * config.paymentRetry().batchSize() + 5, "c-backlog");

            reconciler.reconcile();

            assertThat(backlog).allSatisfy(id -> assertThat(orders.get(id).status).as("order " + id).isEqualTo(OrderStatus.PAID));
            assertThat(backlog).allSatisfy(id -> assertThat(paymentsOf(id)).as("payments of " + id).isEqualTo(1));
        } finally {
            scheduler.resume("payment-reconciler");
        }
    }

    @Test
    void concurrentReconcilerPassesNeverClaimTheSameOrder() throws Exception {
        scheduler.pause("payment-reconciler");
        try {
            List<UUID> due = dueOrders(40, "c-claims");
            List<List<UUID>> claims = Concurrently.run(4, i -> orders.claimDue(25));

            List<UUID> all = claims.stream().flatMap(List::stream).filter(due::contains).toList();
            assertThat(new HashSet<>(all)).as("no order claimed twice").hasSize(all.size());
            assertThat(all).containsExactlyInAnyOrderElementsOf(due);
            assertThat(orders.claimDue(100)).doesNotContainAnyElementsOf(due); // leased now
        } finally {
            scheduler.resume("payment-reconciler");
        }
    }

    /**
     * An order its placer left PENDING while still leased to it, as a replica killed in the middle of the payment
     * call leaves it: key, fingerprint and total of the request {@code place(key, customer, "EUR", null, lines("5.00"))}.
     */
    UUID leftPendingByItsPlacer(String key, String customer) {
        Order o = new Order();
        o.id = UUID.randomUUID();
        o.idempotencyKey = key;
        o.requestFingerprint = OrderService.fingerprint(customer, "EUR", "tok_visa", lines("5.00"));
        o.customerId = customer;
        o.currency = "EUR";
        o.cardToken = "tok_visa";
        o.status = OrderStatus.PENDING;
        o.items.add(new OrderLine("SKU-1", 1, new BigDecimal("5.00")));
        o.total = new BigDecimal("5.00");
        o.createdAt = Instant.now();
        o.updatedAt = o.createdAt;
        o.nextAttemptAt = o.createdAt.plus(config.paymentRetry().lease()); // the placer's lease: the reconciler waits it out
        QuarkusTransaction.requiringNew().run(o::persist);
        return o.id;
    }

    /**
     * The client's retry of a request whose replica died while paying finds its order PENDING and the order's lock free
     * (the dead replica's connection took it away): it pays the order itself, with the same charge key, and answers
     * PAID — not PENDING until the reconciler takes over after the dead placer's 30 s lease.
     */
    @Test
    void aRetryWhosePlacerIsGonePaysTheOrderAtOnce() {
        String key = "gone-" + UUID.randomUUID();
        String customer = "c-" + UUID.randomUUID();
        UUID id = leftPendingByItsPlacer(key, customer);

        OrderService.Placement retry = orders.place(key, customer, "EUR", null, lines("5.00"));

        assertThat(retry.created()).isFalse();
        assertThat(retry.order().id).isEqualTo(id);
        assertThat(retry.order().status).isEqualTo(OrderStatus.PAID);
        assertThat(paymentsOf(id)).isEqualTo(1);
        // and once more: the same order, paid once
        assertThat(orders.place(key, customer, "EUR", null, lines("5.00")).order().status).isEqualTo(OrderStatus.PAID);
        assertThat(paymentsOf(id)).isEqualTo(1);
    }

    /** A placer still at work (it holds the order's lock) keeps its order: the retry answers it as it is, and charges nothing. */
    @Test
    void aRetryWhilePlacerIsAtWorkLeavesTheOrderToIt() {
        String key = "busy-" + UUID.randomUUID();
        String customer = "c-" + UUID.randomUUID();
        UUID id = leftPendingByItsPlacer(key, customer);

        try (var placer = locks.tryHold(id)) {
            assertThat(placer.held()).isTrue();
            OrderService.Placement retry = orders.place(key, customer, "EUR", null, lines("5.00"));
            assertThat(retry.order().id).isEqualTo(id);
            assertThat(retry.order().status).isEqualTo(OrderStatus.PENDING);
        }
        assertThat(paymentsOf(id)).isZero();
    }

    @ParameterizedTest(name = "attempt {0} → {1}s")
    @CsvSource({"0, 1", "1, 1", "2, 2", "3, 4", "5, 16", "6, 30", "60, 30"})
    void backoffDoublesUpToTheCap(int attempts, long seconds) {
        assertThat(OrderService.backoff(attempts, Duration.ofSeconds(1), Duration.ofSeconds(30))).hasSeconds(seconds);
    }
}
