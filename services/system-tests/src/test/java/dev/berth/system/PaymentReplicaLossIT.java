package dev.berth.system;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.RoundRobinProxy;
import dev.berth.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * issue 12: one payment-service replica's death opened order-service's circuit breaker, so for 5 s every order
 * was left PENDING. Two payment-service processes behind a round-robin that keeps sending connections to the
 * dead one; one is SIGKILLed while four clients place orders: the breaker never opens, at least 99 % of the
 * orders are answered PAID at once and the rest are paid soon after.
 */
class PaymentReplicaLossIT {

    static final int CLIENTS = 8;
    static final int ORDERS = 480;
    static final int KILL_AFTER = 120;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Pattern OPENED = Pattern.compile(
            "(?m)^ft_circuitbreaker_opened_total\\{[^}]*method=\"dev\\.berth\\.order\\.client\\.PaymentGateway\\.Guarded\\.call\"[^}]*} (\\S+)");

    static final Pattern ORDER_ID = Pattern.compile("^\\{\"id\":\"([0-9a-f-]{36})\"");

    ServiceProcess paymentA;
    ServiceProcess paymentB;
    RoundRobinProxy service;
    ServiceProcess order;

    @AfterEach
    void stop() {
        for (ServiceProcess p : new ServiceProcess[] {order, paymentA, paymentB}) {
            if (p != null) {
                p.stop();
            }
        }
        if (service != null) {
            service.close();
        }
    }

    record Answer(int status, String body) {
        boolean paid() {
            return status == 201 && body.contains("\"status\":\"PAID\"");
        }

        String orderId() {
            Matcher m = ORDER_ID.matcher(body);
            return m.find() ? m.group(1) : body;
        }
    }

    Answer place(String customer) throws Exception {
        String body = "{\"customerId\":\"" + customer + "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"SKU-KILL\",\"quantity\":1,\"unitPrice\":\"7.00\"}]}";
        var request = HttpRequest.newBuilder(URI.create(order.url() + "/api/orders")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Idempotency-Key", "kill-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    String statusOf(String orderId) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(order.url() + "/api/orders/" + orderId)).timeout(Duration.ofSeconds(5)).GET().build();
        Matcher m = Pattern.compile("\"status\":\"([A-Z_]+)\"").matcher(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return m.find() ? m.group(1) : "unknown";
    }

    /** {@code ft_circuitbreaker_opened_total} of the payment-service breaker, once it has been used. */
    Optional<Double> breakerOpenings() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(order.url() + "/q/metrics")).timeout(Duration.ofSeconds(5)).GET().build();
        Matcher m = OPENED.matcher(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    @Test
    void losingOneOfTwoPaymentReplicasUnderLoadLeavesNoOrderPendingAndTheBreakerClosed() throws Exception {
        // a processor taking 100 ms keeps several charges in flight on the replica that is killed
        paymentA = Services.payment("payment-service-replica-a", Map.of("PAYMENT_CHAOS_LATENCY", "100ms")).start();
        paymentB = Services.payment("payment-service-replica-b", Map.of("PAYMENT_CHAOS_LATENCY", "100ms")).start();
        service = RoundRobinProxy.start(List.of(paymentA.port(), paymentB.port()));
        order = Services.order("order-service-replica-loss", service.port(), Map.of()).start();
        String customer = "kill-" + UUID.randomUUID();
        // cold JVMs answer their first requests slowly: warm both replicas up, the test is about losing a warm one
        await("both payment-service replicas warm").atMost(120, SECONDS).until(() -> place(customer).paid() && place(customer).paid());

        AtomicInteger started = new AtomicInteger();
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = java.util.stream.IntStream.range(0, CLIENTS).<Future<?>>mapToObj(c -> clients.submit(() -> {
                while (started.getAndIncrement() < ORDERS) {
                    answers.add(place(customer));
                }
                return null;
            })).toList();
            await("orders placed before the kill").atMost(120, SECONDS).until(() -> answers.size() >= KILL_AFTER);
            paymentA.kill();
            for (Future<?> f : running) {
                f.get(300, SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(answers).hasSize(ORDERS).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(201));
        assertThat(breakerOpenings()).as("payment-service circuit breaker openings").hasValue(0.0);
        // a charge in flight on the killed replica is taken over at once by the retry (its key's lock went with the
        // replica's connection); an order answered PENDING all the same is paid by the reconciler (issue 12: >= 99 %
        // at once)
        List<Answer> pending = answers.stream().filter(a -> !a.paid()).toList();
        assertThat(ORDERS - pending.size()).as("orders answered PAID synchronously").isGreaterThanOrEqualTo((int) Math.ceil(ORDERS * 0.99));
        await("orders answered PENDING paid").atMost(60, SECONDS).untilAsserted(() ->
                assertThat(pending).allSatisfy(a -> assertThat(statusOf(a.orderId())).isEqualTo("PAID")));
    }
}
