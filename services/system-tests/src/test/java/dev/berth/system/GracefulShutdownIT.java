package dev.berth.system;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of a burst: readiness goes DOWN first, every request already sent completes, requests
 * that arrive during the shutdown delay are still served — each answer then closing its kept-alive connection (Quarkus
 * answers {@code Connection: close} from SIGTERM on), so a client reconnects, which a Service sends to a replica that is
 * not stopping: what Berth's kernel path, like kube-proxy, relies on for a rollout without failed requests — and the
 * process exits cleanly.
 */
class GracefulShutdownIT {

    static final int BURST = 40;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static CompletableFuture<Integer> pay(ServiceProcess payment) {
        String body = "{\"orderId\":\"" + UUID.randomUUID() + "\",\"amount\":\"5.00\",\"currency\":\"EUR\",\"cardToken\":\"tok_visa\"}";
        var request = HttpRequest.newBuilder(URI.create(payment.url() + "/api/payments"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "gs-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode)
                .exceptionally(e -> -1);
    }

    /** One HTTP/1.1 connection kept open across requests, read by hand: what a pooling client holds. */
    static final class KeptAlive implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedReader in;

        KeptAlive(int port) throws java.io.IOException {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        /** Sends a GET and returns the status line and headers (the body is read and dropped). */
        String get(String path) throws java.io.IOException {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            StringBuilder head = new StringBuilder();
            long length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring("content-length:".length()).trim());
                }
            }
            for (long i = 0; i < length; i++) {
                if (in.read() < 0) {
                    break;
                }
            }
            return head.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void sigtermDuringABurstFailsNoRequest() throws Exception {
        // every payment takes 500 ms, so the whole burst is in flight when SIGTERM arrives
        // the shutdown delay longer than the service's 3 s, so a machine busy with other builds still sees the DOWN within it
        ServiceProcess payment = Services.payment("payment-service-shutdown", Map.of("PAYMENT_CHAOS_LATENCY", "500ms",
                "QUARKUS_SHUTDOWN_DELAY", "8s")).start();
        try {
            List<CompletableFuture<Integer>> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(pay(payment));
            }
            await().atMost(5, SECONDS).until(() -> payment.status("/q/metrics") == 200); // the burst has reached the server
            try (KeptAlive kept = new KeptAlive(payment.port())) {
                String before = kept.get("/q/health/live");
                assertThat(before).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
                payment.terminate();
                // the same connection, still open, after SIGTERM: answered, and told to close
                await("readiness DOWN after SIGTERM").atMost(Duration.ofMillis(6500)).pollInterval(Duration.ofMillis(20))
                        .until(() -> payment.status("/q/health/ready") == 503);
                String after = kept.get("/q/health/live");
                assertThat(after).as("an answer during the shutdown delay on a kept-alive connection").startsWith("HTTP/1.1 200")
                        .containsIgnoringCase("connection: close");
            }

            // the readiness DOWN above came within the shutdown delay; a readiness probe queues behind the burst's blocking
            // work (its database check runs on the same worker pool), so one answer can take over a second on a loaded machine
            int duringDelay = pay(payment).get(30, SECONDS);

            List<Integer> statuses = new ArrayList<>();
            for (var f : burst) {
                statuses.add(f.get(60, SECONDS));
            }
            assertThat(statuses).as("every in-flight request completes").allMatch(s -> s == 201);
            assertThat(duringDelay).as("a request during the shutdown delay is still served").isEqualTo(201);
            assertThat(payment.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isIn(0, 143);
        } finally {
            payment.stop();
        }
    }
}
