package dev.berth.system;

import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.berth.testing.ServiceProcess;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end, both packaged services as real processes: one payment-service and two order-service replicas
 * sharing PostgreSQL, wired by the Kubernetes service variables.
 */
class OrderPaymentFlowIT {

    static final int BACKLOG = 40;

    static ServiceProcess payment;
    static ServiceProcess orderA;
    static ServiceProcess orderB;

    @BeforeAll
    static void start() {
        payment = Services.payment("payment-service", Map.of()).start();
        orderA = Services.order("order-service-a", payment, Map.of()).start();
        orderB = Services.order("order-service-b", payment, Map.of()).start();
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess p : new ServiceProcess[] {orderA, orderB, payment}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    static Map<String, Object> order(String customer, String price) {
        return Map.of("customerId", customer, "currency", "EUR", "items", List.of(Map.of("sku", "SKU-E2E", "quantity", 2, "unitPrice", price)));
    }

    static String place(ServiceProcess replica, Map<String, Object> body, String traceparent) {
        var spec = given().baseUri(replica.url()).contentType(ContentType.JSON).header("Idempotency-Key", "e2e-" + UUID.randomUUID()).body(body);
        if (traceparent != null) {
            spec = spec.header("traceparent", traceparent);
        }
        return spec.post("/api/orders").then().statusCode(201).extract().path("id");
    }

    static String statusOf(String orderId) {
        return given().baseUri(orderA.url()).get("/api/orders/" + orderId).then().statusCode(200).extract().path("status");
    }

    static int paymentsFor(String orderId) {
        return given().baseUri(payment.url()).queryParam("orderId", orderId).get("/api/payments").then().statusCode(200)
                .extract().path("total");
    }

    @Test
    void anOrderIsPaidThroughPaymentService() {
        String id = place(orderA, order("e2e", "10.00"), null);
        given().baseUri(orderB.url()).get("/api/orders/" + id).then().statusCode(200)
                .body("status", equalTo("PAID"), "total", equalTo(20.00f));
        assertThat(paymentsFor(id)).isEqualTo(1);
    }

    @Test
    void ordersPlacedWhilePaymentServiceIsDownArePaidExactlyOnceWhenItReturns() {
        payment.stop();
        List<String> pending = new ArrayList<>();
        try {
            // more than a batch for each replica: one pass of either drains it all, and they race for every order
            for (int i = 0; i < BACKLOG; i++) {
                String id = place(i % 2 == 0 ? orderA : orderB, order("e2e-outage", (i % 9 + 1) + ".00"), null);
                assertThat(statusOf(id)).isEqualTo("PENDING");
                pending.add(id);
            }
        } finally {
            payment.start();
        }
        // both replicas' reconcilers race for these orders; leases and idempotency keys keep it to one charge each
        await("pending orders paid").atMost(60, SECONDS).untilAsserted(() ->
                assertThat(pending).allSatisfy(id -> assertThat(statusOf(id)).isEqualTo("PAID")));
        assertThat(pending).allSatisfy(id -> assertThat(paymentsFor(id)).isEqualTo(1));
    }

    @Test
    void theTraceIdCreatedAtOrderServiceIsInBothServicesLogs() throws Exception {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        String traceId = HexFormat.of().formatHex(bytes);
        String traceparent = "00-" + traceId + "-" + "00f067aa0ba902b7" + "-01";
        String id = place(orderA, order("e2e-trace", "3.00"), traceparent);
        assertThat(statusOf(id)).isEqualTo("PAID");

        String needle = "\"trace.id\":\"" + traceId + "\"";
        await("trace id logged by both services").atMost(10, SECONDS).untilAsserted(() -> {
            assertThat(Files.readString(orderA.log())).contains(needle);
            assertThat(Files.readString(payment.log())).contains(needle);
        });
    }

    @Test
    void logsAreEcsJsonAndNeverContainCardTokens() throws Exception {
        String id = place(orderB, Map.of("customerId", "e2e-secret", "currency", "EUR", "cardToken", "tok_secret_4242",
                "items", List.of(Map.of("sku", "S", "quantity", 1, "unitPrice", "1.00"))), null);
        assertThat(statusOf(id)).isEqualTo("PAID");
        for (ServiceProcess p : List.of(orderB, payment)) {
            String log = Files.readString(p.log());
            assertThat(log).doesNotContain("tok_secret_4242");
            List<String> lines = log.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"@timestamp\"", "\"log.level\"", "\"service.name\""));
        }
    }
}
