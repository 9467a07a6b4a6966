package dev.berth.order.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.berth.order.PaymentServiceProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Resource tier: {@code /api/orders} against real PostgreSQL and a real payment-service process. */
@QuarkusTest
@QuarkusTestResource(PaymentServiceProcess.class)
class OrderResourceTest {

    static final String PROBLEM_JSON = "application/problem+json";

    @BeforeAll
    static void problemJsonIsJson() {
        RestAssured.registerParser(PROBLEM_JSON, Parser.JSON);
    }

    static Map<String, Object> item(String sku, int quantity, String unitPrice) {
        return Map.of("sku", sku, "quantity", quantity, "unitPrice", unitPrice);
    }

    static Map<String, Object> order(String customer, String currency, List<?> items) {
        return Map.of("customerId", customer, "currency", currency, "items", items);
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        var copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    static ValidatableResponse place(String key, Object body) {
        var spec = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            spec = spec.header("Idempotency-Key", key);
        }
        return spec.post("/api/orders").then();
    }

    static String customer() {
        return "cust-" + UUID.randomUUID();
    }

    static int ordersOf(String customer) {
        return given().queryParam("customerId", customer).get("/api/orders").then().statusCode(200).extract().path("total");
    }

    static int paymentsOf(String orderId) {
        return given().baseUri(PaymentServiceProcess.process().url()).queryParam("orderId", orderId)
                .get("/api/payments").then().statusCode(200).extract().path("total");
    }

    @Test
    void placesAnOrderComputesItsTotalAndPaysIt() {
        String c = customer();
        String key = "ord-" + UUID.randomUUID();
        var body = order(c, "EUR", List.of(item("SKU-1", 2, "19.99"), item("SKU-2", 1, "5.00")));
        String id = place(key, body)
                .statusCode(201)
                .header("Location", containsString("/api/orders/"))
                .body("status", equalTo("PAID"), "total", equalTo(44.98f), "currency", equalTo("EUR"),
                        "items", hasSize(2), "items[0].lineTotal", equalTo(39.98f), "paymentId", not(nullValue()),
                        "refund", equalTo("NONE"), "createdAt", not(nullValue()))
                .extract().path("id");

        place(key, body).statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(id), "status", equalTo("PAID"));
        given().get("/api/orders/" + id).then().statusCode(200).body("id", equalTo(id), "status", equalTo("PAID"));
        assertThat(ordersOf(c)).isEqualTo(1);
        assertThat(paymentsOf(id)).isEqualTo(1);
    }

    @Test
    void aDeclinedPaymentFailsTheOrder() {
        place("ord-" + UUID.randomUUID(), with(order(customer(), "USD", List.of(item("A", 1, "10.00"))), "cardToken", "tok_decline"))
                .statusCode(201)
                .body("status", equalTo("PAYMENT_FAILED"), "failureReason", containsString("card_declined"));
        place("ord-" + UUID.randomUUID(), order(customer(), "USD", List.of(item("A", 2, "6000.00"))))
                .statusCode(201)
                .body("status", equalTo("PAYMENT_FAILED"), "failureReason", containsString("amount_limit_exceeded"));
    }

    @Test
    void reusingAKeyForAnotherOrderIsAConflict() {
        String c = customer();
        String key = "ord-" + UUID.randomUUID();
        place(key, order(c, "EUR", List.of(item("A", 1, "1.00")))).statusCode(201);
        place(key, order(c, "EUR", List.of(item("A", 2, "1.00"))))
                .statusCode(409).contentType(PROBLEM_JSON).body("type", equalTo("https://berth.dev/problems/idempotency-key-reused"));
        assertThat(ordersOf(c)).isEqualTo(1);
    }

    static Stream<Arguments> invalidOrders() {
        var valid = order("c", "EUR", List.of(item("A", 1, "1.00")));
        return Stream.of(
                Arguments.of(with(valid, "customerId", ""), "customerId"),
                Arguments.of(with(valid, "customerId", "x".repeat(65)), "customerId"),
                Arguments.of(with(valid, "currency", "JPY"), "currency"),
                Arguments.of(with(valid, "currency", null), "currency"),
                Arguments.of(with(valid, "items", List.of()), "items"),
                Arguments.of(with(valid, "items", List.of(item("A", 0, "1.00"))), "items[0].quantity"),
                Arguments.of(with(valid, "items", List.of(item("A", 1, "1.00"), item("B", 1001, "1.00"))), "items[1].quantity"),
                Arguments.of(with(valid, "items", List.of(item("A", 1, "0.001"))), "items[0].unitPrice"),
                Arguments.of(with(valid, "items", List.of(item("A", 1, "-1.00"))), "items[0].unitPrice"),
                Arguments.of(with(valid, "items", List.of(item("A", 1, "1e2147483647"))), "items[0].unitPrice"),
                Arguments.of(with(valid, "items", List.of(item("A", 1, "1000000000"))), "items[0].unitPrice"),
                Arguments.of(with(valid, "items", List.of(item("bad sku!", 1, "1.00"))), "items[0].sku"),
                Arguments.of(with(valid, "items", List.of(Map.of("sku", "A", "quantity", "two", "unitPrice", "1.00"))), "items[0].quantity"),
                Arguments.of(with(valid, "cardToken", "!"), "cardToken"),
                Arguments.of(with(valid, "total", "1.00"), "total"));
    }

    static int allOrders() {
        return given().get("/api/orders").then().statusCode(200).extract().path("total");
    }

    @ParameterizedTest
    @MethodSource("invalidOrders")
    void invalidOrdersAreProblemsNamingTheFieldAndWriteNothing(Map<String, Object> body, String field) {
        int before = allOrders();
        place("ord-" + UUID.randomUUID(), body)
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem(field), "status", equalTo(400))
                .body(not(containsString("\tat ")));
        assertThat(allOrders()).isEqualTo(before);
    }

    /** issue 12: both answered 500 (the services share the paging and money code). */
    @Test
    void aHugeExponentOrAnOverflowingPageIsAProblemNamingTheFieldAndWritesNothing() {
        int before = allOrders();
        given().contentType(ContentType.JSON).header("Idempotency-Key", "ord-" + UUID.randomUUID())
                .body("{\"customerId\":\"c\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1e2147483647}]}")
                .post("/api/orders").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", equalTo(List.of("items[0].unitPrice")),
                        "errors[0].message", equalTo("must be at least 0.01, with at most 9 digits before the decimal point and 2 after"));
        assertThat(allOrders()).isEqualTo(before);

        given().queryParam("page", 2147483647).get("/api/orders").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", equalTo(List.of("page")), "errors[0].message", equalTo("must be at most 107374182 with size 20"));
    }

    @Test
    void theIdempotencyKeyIsRequired() {
        String c = customer();
        place(null, order(c, "EUR", List.of(item("A", 1, "1.00"))))
                .statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("Idempotency-Key"));
        assertThat(ordersOf(c)).isZero();
    }

    @Test
    void listsFilterPageAndCapTheSize() {
        String c = customer();
        for (int i = 0; i < 3; i++) {
            place("ord-" + UUID.randomUUID(), order(c, "GBP", List.of(item("A", i + 1, "2.00")))).statusCode(201);
        }
        place("ord-" + UUID.randomUUID(), with(order(c, "GBP", List.of(item("A", 1, "2.00"))), "cardToken", "tok_decline")).statusCode(201);

        given().queryParam("customerId", c).queryParam("status", "PAID").queryParam("size", 2).get("/api/orders").then()
                .statusCode(200).body("items", hasSize(2), "total", equalTo(4 - 1), "page", equalTo(0), "size", equalTo(2),
                        "items.status", everyItem(equalTo("PAID")));
        given().queryParam("customerId", c).queryParam("status", "PAYMENT_FAILED").get("/api/orders").then()
                .body("total", equalTo(1));
        given().queryParam("size", 1000).get("/api/orders").then().statusCode(200).body("size", equalTo(100));
        given().queryParam("status", "SHIPPED").get("/api/orders").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("status"));
        given().queryParam("size", 0).get("/api/orders").then().statusCode(400).body("errors[0].field", equalTo("size"));
    }

    @Test
    void unknownOrdersAreNotFoundProblems() {
        given().get("/api/orders/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON);
        given().post("/api/orders/" + UUID.randomUUID() + "/cancel").then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void cancellingAPaidOrderRefundsItOnceAndIsIdempotent() {
        String id = place("ord-" + UUID.randomUUID(), order(customer(), "CHF", List.of(item("A", 1, "30.00"))))
                .statusCode(201).body("status", equalTo("PAID")).extract().path("id");
        String paymentId = given().get("/api/orders/" + id).then().extract().path("paymentId");

        given().post("/api/orders/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"), "refund", equalTo("DONE"));
        String updatedAt = given().post("/api/orders/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"), "refund", equalTo("DONE")).extract().path("updatedAt");
        given().get("/api/orders/" + id).then().body("updatedAt", equalTo(updatedAt));

        given().baseUri(PaymentServiceProcess.process().url()).get("/api/payments/" + paymentId).then()
                .statusCode(200).body("status", equalTo("REFUNDED"));
    }

    @Test
    void cancellingAFailedOrderNeedsNoRefund() {
        String id = place("ord-" + UUID.randomUUID(), with(order(customer(), "EUR", List.of(item("A", 1, "3.00"))), "cardToken", "tok_decline"))
                .statusCode(201).extract().path("id");
        given().post("/api/orders/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"), "refund", equalTo("NONE"));
    }
}
