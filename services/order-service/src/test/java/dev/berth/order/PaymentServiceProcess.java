package dev.berth.order;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.berth.order.client.PaymentGateway;
import dev.berth.testing.ServiceProcess;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the real, packaged payment-service as a process against PostgreSQL for order-service's tests and
 * points the {@code payment-service} REST client at it. Tests may stop and start it through
 * {@link #process()} to take payment-service away.
 */
public class PaymentServiceProcess implements QuarkusTestResourceLifecycleManager {

    private static ServiceProcess process;

    public static ServiceProcess process() {
        return process;
    }

    /** Stops payment-service, runs {@code during}, starts it again and waits until order-service can use it. */
    public static void outage(Runnable during) {
        process.stop();
        try {
            during.run();
        } finally {
            process.start();
            // the circuit breaker opened while payment-service was away: wait until calls go through again
            PaymentGateway gateway = Arc.container().instance(PaymentGateway.class).get();
            await("payment-service usable from order-service").atMost(30, SECONDS).ignoreExceptions()
                    .until(() -> gateway.paymentsFor(UUID.randomUUID()) != null);
        }
    }

    @Override
    public Map<String, String> start() {
        process = ServiceProcess.of("payment-service", "payment-service.jar", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + System.getProperty("berth.pg.host", "127.0.0.1") + ":5432/berth_it",
                "QUARKUS_DATASOURCE_USERNAME", "berth",
                "QUARKUS_DATASOURCE_PASSWORD", "berth",
                "QUARKUS_SHUTDOWN_DELAY", "0s"), Path.of("target", "processes"));
        process.start();
        return Map.of("quarkus.rest-client.payment-service.url", process.url());
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop();
        }
    }
}
