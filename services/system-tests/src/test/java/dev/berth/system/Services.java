package dev.berth.system;

import dev.berth.testing.ServiceProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the packaged services the way a cluster or Berth's local engine does: configuration through the
 * Kubernetes service-discovery variables ({@code POSTGRES_SERVICE_HOST}, {@code PAYMENT_SERVICE_SERVICE_HOST},
 * …) and the standard Quarkus keys, production profile (JSON logs) and nothing else.
 */
final class Services {

    static final Path LOGS = Path.of("target", "processes");

    private Services() {}

    static Map<String, String> database() {
        return Map.of(
                "POSTGRES_SERVICE_HOST", "127.0.0.1",
                "POSTGRES_SERVICE_PORT", "5432",
                "POSTGRES_DB", "berth_it",
                "QUARKUS_DATASOURCE_USERNAME", "berth",
                "QUARKUS_DATASOURCE_PASSWORD", "berth");
    }

    static ServiceProcess payment(String name, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(database());
        env.putAll(extraEnv);
        return ServiceProcess.of(name, "payment-service.jar", env, LOGS);
    }

    static ServiceProcess order(String name, ServiceProcess payment, Map<String, String> extraEnv) {
        return order(name, payment.port(), extraEnv);
    }

    /** An order-service whose payment-service Service listens on {@code paymentPort} (a process or a proxy). */
    static ServiceProcess order(String name, int paymentPort, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(database());
        env.put("PAYMENT_SERVICE_SERVICE_HOST", "127.0.0.1");
        env.put("PAYMENT_SERVICE_SERVICE_PORT", Integer.toString(paymentPort));
        env.put("ORDERS_PAYMENT_RETRY_PERIOD", "500ms");
        env.put("ORDERS_PAYMENT_RETRY_MAX_BACKOFF", "1s");
        env.putAll(extraEnv);
        return ServiceProcess.of(name, "order-service.jar", env, LOGS)
                // reopen the circuit after 1 s instead of 5 s so the test does not wait on it
                .withJvmArgs("-Ddev.berth.order.client.PaymentGateway$Guarded/call/CircuitBreaker/delay=1000");
    }
}
