package dev.berth.payment.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bad-build switch: alive and started, never ready — what a rollout must detect and undo. */
@QuarkusTest
@TestProfile(ChaosReadinessTest.Unready.class)
class ChaosReadinessTest {

    public static class Unready implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payment.chaos.unready", "true");
        }
    }

    @Test
    void readinessIsDownWhileLivenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"), "checks.find { it.name == 'chaos' }.status", equalTo("DOWN"), "checks.name", hasItem("chaos"));
    }
}
