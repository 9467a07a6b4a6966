package dev.berth.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.berth.order.PaymentServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Health, metrics and OpenAPI. Readiness must not depend on payment-service, so one outage cannot cascade. */
@QuarkusTest
@QuarkusTestResource(PaymentServiceProcess.class)
class OperationsEndpointsTest {

    @Test
    void readinessChecksTheDatabaseButNotPaymentService() {
        PaymentServiceProcess.outage(() -> {
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                    .body(containsString("Database connections health check"))
                    .body(not(containsString("payment")));
            given().get("/q/health/live").then().statusCode(200);
            given().get("/q/health/started").then().statusCode(200);
        });
    }

    @Test
    void metricsExposeOrderCountersAndTheOrderValueHistogram() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "m-" + UUID.randomUUID())
                .body(Map.of("customerId", "metrics", "currency", "EUR", "items", List.of(Map.of("sku", "A", "quantity", 1, "unitPrice", "4.00"))))
                .post("/api/orders").then().statusCode(201);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("orders_created_total{status=\"PAID\"}"))
                .body(containsString("order_value_currency_units_bucket{currency=\"EUR\""))
                .body(containsString("http_client_requests_seconds_bucket{"));
    }

    @Test
    void openApiDescribesTheOrdersApi() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).body("paths", hasKey("/api/orders"));
    }
}
