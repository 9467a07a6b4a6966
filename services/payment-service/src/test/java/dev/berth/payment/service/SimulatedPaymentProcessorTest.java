package dev.berth.payment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.payment.config.PaymentConfig;
import dev.berth.support.problem.ProblemException;
import dev.berth.support.problem.ProblemType;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SimulatedPaymentProcessorTest {

    static PaymentConfig config(String limit, double errorRate) {
        return new PaymentConfig() {
            public Processor processor() {
                return () -> new BigDecimal(limit);
            }

            public Chaos chaos() {
                return new Chaos() {
                    public Duration latency() {
                        return Duration.ZERO;
                    }

                    public double errorRate() {
                        return errorRate;
                    }

                    public boolean unready() {
                        return false;
                    }
                };
            }

            public Reservation reservation() {
                return () -> Duration.ofSeconds(10);
            }
        };
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(nullValues = "-", value = {
        "10.00,    tok_visa,               -",
        "100.00,   tok_visa,               -",
        "100.01,   tok_visa,               amount_limit_exceeded",
        "10.00,    tok_decline,            card_declined",
        "10.00,    tok_insufficient_funds, insufficient_funds",
        "100.01,   tok_decline,            card_declined",
    })
    void decidesDeterministically(String amount, String token, String declineReason) {
        var processor = new SimulatedPaymentProcessor(config("100.00", 0));
        Authorization a = processor.authorize(new BigDecimal(amount), "EUR", token);
        assertThat(a.approved()).isEqualTo(declineReason == null);
        assertThat(a.declineReason()).isEqualTo(declineReason);
    }

    @Test
    void injectedErrorsLookLikeAnUnavailableProcessor() {
        var processor = new SimulatedPaymentProcessor(config("100.00", 1.0));
        assertThatThrownBy(() -> processor.authorize(BigDecimal.TEN, "EUR", "tok_visa"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.DEPENDENCY_UNAVAILABLE));
    }
}
