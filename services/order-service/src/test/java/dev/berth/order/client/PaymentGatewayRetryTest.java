package dev.berth.order.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a charge's next attempt waits after each kind of answer from payment-service. */
class PaymentGatewayRetryTest {

    @Test
    void aKeyInProgressIsAskedAgainWhenPaymentServiceSaysAtMostASecondLater() {
        assertThat(PaymentGateway.waitBeforeRetry(409, "1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(PaymentGateway.waitBeforeRetry(409, " 0 ")).isZero();
        assertThat(PaymentGateway.waitBeforeRetry(409, "30")).as("capped inside the attempt's timeout").isEqualTo(Duration.ofSeconds(1));
        assertThat(PaymentGateway.waitBeforeRetry(409, "Wed, 21 Oct 2026 07:28:00 GMT")).isEqualTo(Duration.ofSeconds(1));
        assertThat(PaymentGateway.waitBeforeRetry(409, "-5")).isZero();
    }

    @Test
    void otherRetryableAnswersAreRetriedAtOnceOnAnotherReplica() {
        assertThat(PaymentGateway.waitBeforeRetry(503, "1")).isZero();
        assertThat(PaymentGateway.waitBeforeRetry(429, "1")).isZero();
        assertThat(PaymentGateway.waitBeforeRetry(409, null)).as("a 409 without Retry-After is a rejection").isZero();
    }

    @Test
    void theAnswersThatWaitAreTheOnesClassifiedAsTransient() {
        assertThat(PaymentGateway.classify(new jakarta.ws.rs.WebApplicationException(
                jakarta.ws.rs.core.Response.status(409).header("Retry-After", "1").build()))).isInstanceOf(PaymentGateway.Transient.class);
    }
}
