package dev.berth.payment.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Resource tier: the HTTP contract of {@code /api/payments} against a real PostgreSQL. */
@QuarkusTest
class PaymentResourceTest {

    static final String PROBLEM_JSON = "application/problem+json";

    @BeforeAll
    static void problemJsonIsJson() {
        RestAssured.registerParser(PROBLEM_JSON, Parser.JSON);
    }

    static Map<String, Object> body(UUID orderId, String amount, String currency, String token) {
        return Map.of("orderId", orderId.toString(), "amount", amount, "currency", currency, "cardToken", token);
    }

    static ValidatableResponse post(String key, Object body) {
        var spec = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            spec = spec.header("Idempotency-Key", key);
        }
        return spec.when().post("/api/payments").then();
    }

    static int paymentsFor(UUID orderId) {
        return given().queryParam("orderId", orderId.toString()).get("/api/payments").then().statusCode(200)
                .extract().path("total");
    }

    @Test
    void createsAPaymentOnceAndReplaysItForTheSameKeyAndBody() {
        UUID orderId = UUID.randomUUID();
        String key = "pay-" + UUID.randomUUID();
        String id = post(key, body(orderId, "42.50", "EUR", "tok_visa"))
                .statusCode(201)
                .header("Location", containsString("/api/payments/"))
                .body("status", equalTo("APPROVED"), "amount", equalTo(42.50f), "currency", equalTo("EUR"),
                        "orderId", equalTo(orderId.toString()), "declineReason", nullValue())
                .extract().path("id");

        post(key, body(orderId, "42.5", "EUR", "tok_visa"))
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id));

        given().get("/api/payments/" + id).then().statusCode(200).body("id", equalTo(id), "status", equalTo("APPROVED"));
        assertThat(paymentsFor(orderId)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflictAndChangesNothing() {
        UUID orderId = UUID.randomUUID();
        String key = "pay-" + UUID.randomUUID();
        post(key, body(orderId, "10.00", "EUR", "tok_visa")).statusCode(201);

        post(key, body(orderId, "11.00", "EUR", "tok_visa"))
                .statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://berth.dev/problems/idempotency-key-reused"), "status", equalTo(409));
        assertThat(paymentsFor(orderId)).isEqualTo(1);
    }

    static Stream<Arguments> declines() {
        return Stream.of(
                Arguments.of("10.00", "tok_decline", "card_declined"),
                Arguments.of("10.00", "tok_insufficient_funds", "insufficient_funds"),
                Arguments.of("10000.01", "tok_visa", "amount_limit_exceeded"));
    }

    @ParameterizedTest
    @MethodSource("declines")
    void declinesDeterministically(String amount, String token, String reason) {
        post("pay-" + UUID.randomUUID(), body(UUID.randomUUID(), amount, "USD", token))
                .statusCode(201)
                .body("status", equalTo("DECLINED"), "declineReason", equalTo(reason));
    }

    static Stream<Arguments> invalidBodies() {
        UUID o = UUID.randomUUID();
        return Stream.of(
                Arguments.of(body(o, "0", "EUR", "tok_visa"), "amount"),
                Arguments.of(body(o, "-5.00", "EUR", "tok_visa"), "amount"),
                Arguments.of(body(o, "1.001", "EUR", "tok_visa"), "amount"),
                Arguments.of(body(o, "1e2147483647", "EUR", "tok_visa"), "amount"),
                Arguments.of(body(o, "1000000000000000", "EUR", "tok_visa"), "amount"),
                Arguments.of(body(o, "10.00", "XXX", "tok_visa"), "currency"),
                Arguments.of(body(o, "10.00", "eur", "tok_visa"), "currency"),
                Arguments.of(body(o, "10.00", "EUR", "x"), "cardToken"),
                Arguments.of(body(o, "10.00", "EUR", "tok visa!"), "cardToken"),
                Arguments.of(Map.of("orderId", o.toString(), "amount", "10.00", "currency", "EUR"), "cardToken"),
                Arguments.of(Map.of("amount", "10.00", "currency", "EUR", "cardToken", "tok_visa"), "orderId"),
                Arguments.of(Map.of("orderId", "not-a-uuid", "amount", "10.00", "currency", "EUR", "cardToken", "tok_visa"), "orderId"),
                Arguments.of(Map.of("orderId", o.toString(), "amount", "ten", "currency", "EUR", "cardToken", "tok_visa"), "amount"),
                Arguments.of(Map.of("orderId", o.toString(), "amount", "1", "currency", "EUR", "cardToken", "tok_visa", "extra", 1), "extra"));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void invalidInputIsAProblemNamingTheFieldAndWritesNothing(Map<String, Object> body, String field) {
        String key = "pay-" + UUID.randomUUID();
        post(key, body)
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(400), "errors.field", hasItem(field), "instance", equalTo("/api/payments"))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
        // the key was not consumed: a valid request with it now succeeds
        post(key, body(UUID.randomUUID(), "5.00", "EUR", "tok_visa")).statusCode(201);
    }

    /** issue 12: both answered 500. A JSON number with an exponent past int range must not reach the database. */
    @Test
    void anAmountWithAHugeExponentIsAProblemNamingTheAmountAndWritesNothing() {
        UUID orderId = UUID.randomUUID();
        String key = "pay-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"orderId\":\"" + orderId + "\",\"amount\":1e2147483647,\"currency\":\"EUR\",\"cardToken\":\"tok_visa\"}")
                .post("/api/payments").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://berth.dev/problems/validation-failed"),
                        "errors.field", equalTo(java.util.List.of("amount")),
                        "errors[0].message", equalTo("must be at least 0.01, with at most 15 digits before the decimal point and 2 after"));
        assertThat(paymentsFor(orderId)).isZero();
        post(key, body(orderId, "5.00", "EUR", "tok_visa")).statusCode(201); // the key was not consumed
    }

    @Test
    void aPageWhoseOffsetOverflowsIsAProblemNamingThePage() {
        given().queryParam("page", 2147483647).get("/api/payments").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", equalTo(java.util.List.of("page")),
                        "errors[0].message", equalTo("must be at most 107374182 with size 20"))
                .body(not(containsString("Exception")));
        given().queryParam("page", 21474836).queryParam("size", 100).get("/api/payments").then()
                .statusCode(200).body("items", hasSize(0), "page", equalTo(21474836), "size", equalTo(100));
    }

    @Test
    void aMissingOrMalformedIdempotencyKeyIsRejected() {
        UUID orderId = UUID.randomUUID();
        post(null, body(orderId, "1.00", "EUR", "tok_visa"))
                .statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("Idempotency-Key"));
        post("has space", body(orderId, "1.00", "EUR", "tok_visa"))
                .statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        assertThat(paymentsFor(orderId)).isZero();
    }

    @Test
    void malformedJsonAndWrongMediaTypeAreProblems() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k-" + UUID.randomUUID()).body("{\"orderId\": ")
                .post("/api/payments").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://berth.dev/problems/malformed-body"));
        given().contentType(ContentType.TEXT).header("Idempotency-Key", "k-" + UUID.randomUUID()).body("hello")
                .post("/api/payments").then().statusCode(415).contentType(PROBLEM_JSON);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k-" + UUID.randomUUID())
                .post("/api/payments").then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("body"));
    }

    @Test
    void unknownPaymentsAndPathsAreProblems() {
        given().get("/api/payments/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://berth.dev/problems/not-found"));
        given().get("/api/nothing-here").then().statusCode(404).contentType(PROBLEM_JSON);
        given().post("/api/payments/" + UUID.randomUUID() + "/refund").then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void listsPaymentsOfAnOrderInPages() {
        UUID orderId = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            post("pay-" + UUID.randomUUID(), body(orderId, (i + 1) + ".00", "GBP", "tok_visa")).statusCode(201);
        }
        given().queryParam("orderId", orderId.toString()).queryParam("size", 2).get("/api/payments").then()
                .statusCode(200).body("items", hasSize(2), "total", equalTo(3), "page", equalTo(0), "size", equalTo(2));
        given().queryParam("orderId", orderId.toString()).queryParam("size", 2).queryParam("page", 1).get("/api/payments").then()
                .statusCode(200).body("items", hasSize(1), "items[0].amount", equalTo(3.00f));
        given().queryParam("size", 5000).get("/api/payments").then().statusCode(200).body("size", equalTo(100));
        given().queryParam("page", -1).get("/api/payments").then().statusCode(400).body("errors[0].field", equalTo("page"));
        given().queryParam("size", "many").get("/api/payments").then().statusCode(400).body("errors[0].field", equalTo("size"));
        given().queryParam("orderId", "nope").get("/api/payments").then().statusCode(400).body("errors[0].field", equalTo("orderId"));
    }

    @Test
    void refundIsIdempotentAndOnlyForApprovedPayments() {
        String approved = post("pay-" + UUID.randomUUID(), body(UUID.randomUUID(), "20.00", "CHF", "tok_visa"))
                .statusCode(201).extract().path("id");
        String refundedAt = given().post("/api/payments/" + approved + "/refund").then().statusCode(200)
                .body("status", equalTo("REFUNDED")).extract().path("refundedAt");
        given().post("/api/payments/" + approved + "/refund").then().statusCode(200)
                .body("status", equalTo("REFUNDED"), "refundedAt", equalTo(refundedAt));

        String declined = post("pay-" + UUID.randomUUID(), body(UUID.randomUUID(), "20.00", "CHF", "tok_decline"))
                .statusCode(201).extract().path("id");
        given().post("/api/payments/" + declined + "/refund").then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://berth.dev/problems/invalid-state"));
        given().get("/api/payments/" + declined).then().body("status", equalTo("DECLINED"));
    }
}
