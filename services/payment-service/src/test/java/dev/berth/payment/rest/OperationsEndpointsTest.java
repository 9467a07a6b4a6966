package dev.berth.payment.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Health (with the database check), metrics and OpenAPI: what the platform and operators rely on. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void healthEndpointsAreUpAndReadinessChecksTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"), "checks.name", hasItem(containsString("Database connections health check")));
    }

    @Test
    void metricsExposeBusinessCountersAndTheProcessingHistogram() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "m-" + UUID.randomUUID())
                .body(Map.of("orderId", UUID.randomUUID().toString(), "amount", "3.00", "currency", "EUR", "cardToken", "tok_visa"))
                .post("/api/payments").then().statusCode(201);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("payments_total{outcome=\"approved\"}"))
                .body(containsString("payment_processing_seconds_bucket{"))
                .body(containsString("http_server_requests_seconds_bucket{"));
    }

    @Test
    void openApiDescribesThePaymentsApi() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/payments"));
    }
}
