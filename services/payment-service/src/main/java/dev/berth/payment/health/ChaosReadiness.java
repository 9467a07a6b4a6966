package dev.berth.payment.health;

import dev.berth.payment.config.PaymentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The "bad build" switch for rollout tests and demos: with {@code payment.chaos.unready=true}
 * ({@code PAYMENT_CHAOS_UNREADY=true}) the service starts and stays alive but never reports ready, so a revision
 * carrying it never takes traffic and the platform has to roll it back.
 */
@Readiness
@ApplicationScoped
public class ChaosReadiness implements HealthCheck {

    private final PaymentConfig config;

    public ChaosReadiness(PaymentConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean unready = config.chaos().unready();
        return HealthCheckResponse.named("chaos").status(!unready).withData("unready", unready).build();
    }
}
