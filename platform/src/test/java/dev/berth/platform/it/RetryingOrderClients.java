package dev.berth.platform.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients placing orders through order-service's Service as a careful caller would: each order has its own
 * Idempotency-Key, and a failed attempt (no answer, or a 5xx) is sent again with the same key, a bounded number of
 * times. Each client places one order after the other until {@link #stop()} or a cap on time. Records, per order,
 * the last answer it got.
 */
final class RetryingOrderClients implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 10;
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(200);

    /**
     * One order as its client saw it.
     *
     * @param id       the order's id once an answer carried one (acknowledged), else null
     * @param status   the order status of the last answer (PAID, PENDING, ...), or the failure when none came
     * @param attempts how many times it was sent
     */
    record PlacedOrder(String idempotencyKey, String id, String status, int attempts) {

        boolean acknowledged() {
            return id != null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<PlacedOrder> orders = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int port;
    private final String customerId;

    private RetryingOrderClients(int port, String customerId) {
        this.port = port;
        this.customerId = customerId;
    }

    static RetryingOrderClients start(int clients, int port, String customerId, Duration maxTime) {
        RetryingOrderClients load = new RetryingOrderClients(port, customerId);
        long end = System.nanoTime() + maxTime.toNanos();
        for (int t = 0; t < clients; t++) {
            Thread thread = new Thread(() -> {
                while (!load.stopped.get() && System.nanoTime() < end) {
                    try {
                        load.orders.add(load.place(UUID.randomUUID().toString()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "order-client-" + t);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private PlacedOrder place(String key) throws InterruptedException {
        String failure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> r = http.send(RealServicesIT.order(port, "tok_visa", customerId, key), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 201) {
                    JsonNode order = JSON.readTree(r.body());
                    return new PlacedOrder(key, order.path("id").asText(), order.path("status").asText(), attempt);
                }
                failure = "HTTP " + r.statusCode() + " " + r.body();
                if (r.statusCode() < 500 && r.statusCode() != 409) {
                    // the request itself is wrong: resending cannot help (a 409 with the same body is an attempt still in flight)
                    return new PlacedOrder(key, null, failure, attempt);
                }
            } catch (java.io.IOException e) {
                failure = e.toString();
            }
            // a real client's back-off between attempts, so a replica's restart is not met with a burst
            TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.toMillis());
        }
        return new PlacedOrder(key, null, failure, MAX_ATTEMPTS);
    }

    /** Every order finished so far (placed or given up). */
    List<PlacedOrder> orders() {
        return List.copyOf(orders);
    }

    /** Stops placing new orders and waits for those in flight. */
    RetryingOrderClients stop() throws InterruptedException {
        stopped.set(true);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(60).toMillis());
        }
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
