package dev.berth.platform.testapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny replica for the core's tests, packaged into an OCI image by {@link TestImages}: it listens on
 * {@code $PORT}, answers {@code GET /} with its name and version, and lets a test break it on purpose —
 * {@code POST /control/live?ok=false} fails liveness, {@code /control/ready?ok=false} fails readiness,
 * {@code /control/exit?code=N} exits. {@code START_DELAY_MS} delays startup, {@code SLOW_MS} delays every answer;
 * the "bad builds": {@code READY=false} starts it unready, {@code EXIT_CODE=N} makes it exit with N right after start-up,
 * {@code FAIL_STATUS=503} answers {@code GET /} with that status (alive and ready, but serving errors);
 * {@code BURN_MS=N} spends N ms of CPU on every {@code GET /} (load for the cpu autoscaler);
 * {@code SHUTDOWN_DELAY_MS=N}: on SIGTERM, N ms more of serving, unready, every answer closing its connection (as
 * Quarkus's shutdown delay does), before the server stops;
 * logs for the log shipper: {@code LOG_EXTRA} lines are printed as they are, then {@code LOG_LINES=N} JSON lines
 * ({@code event.sequence} 1..N) at {@code LOG_RATE} lines per second (default: as fast as it can).
 */
public final class TestApp {

    private TestApp() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        long startDelay = Long.parseLong(System.getenv().getOrDefault("START_DELAY_MS", "0"));
        long slow = Long.parseLong(System.getenv().getOrDefault("SLOW_MS", "0"));
        String name = System.getenv().getOrDefault("HOSTNAME", "testapp");
        String version = System.getenv().getOrDefault("VERSION", "v1");
        int status = Integer.parseInt(System.getenv().getOrDefault("FAIL_STATUS", "200"));
        long burn = Long.parseLong(System.getenv().getOrDefault("BURN_MS", "0"));
        AtomicBoolean live = new AtomicBoolean(true);
        AtomicBoolean ready = new AtomicBoolean(!"false".equals(System.getenv("READY")));
        AtomicLong served = new AtomicLong();
        long shutdownDelay = Long.parseLong(System.getenv().getOrDefault("SHUTDOWN_DELAY_MS", "0"));
        AtomicBoolean stopping = new AtomicBoolean();
        Thread.sleep(startDelay); // simulated start-up work, so probes and rollouts have something to wait for
        if (System.getenv("EXIT_CODE") != null) {
            System.out.println("testapp " + name + " " + version + " exiting with " + System.getenv("EXIT_CODE") + " (EXIT_CODE)");
            System.exit(Integer.parseInt(System.getenv("EXIT_CODE")));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", ex -> {
            if (slow > 0) {
                pause(slow);
            }
            if (burn > 0) {
                burn(burn);
            }
            served.incrementAndGet();
            if (stopping.get()) {
                ex.getResponseHeaders().set("Connection", "close"); // the client's next request opens a new connection
            }
            reply(ex, status, "hello from " + name + " " + version + "\n");
        });
        server.createContext("/q/metrics", ex -> reply(ex, 200, "# TYPE testapp_info gauge\ntestapp_info{version=\"" + version + "\"} 1\n"
                + "# TYPE testapp_requests_total counter\ntestapp_requests_total " + served.get() + "\n"));
        server.createContext("/health/live", ex -> reply(ex, live.get() ? 200 : 500, live.get() ? "UP\n" : "DOWN\n"));
        server.createContext("/health/ready", ex -> reply(ex, ready.get() ? 200 : 503, ready.get() ? "UP\n" : "DOWN\n"));
        server.createContext("/control/live", ex -> {
            live.set(!"ok=false".equals(ex.getRequestURI().getQuery()));
            reply(ex, 200, "live=" + live.get() + "\n");
        });
        server.createContext("/control/ready", ex -> {
            ready.set(!"ok=false".equals(ex.getRequestURI().getQuery()));
            reply(ex, 200, "ready=" + ready.get() + "\n");
        });
        server.createContext("/control/exit", ex -> {
            String q = ex.getRequestURI().getQuery();
            int code = q != null && q.startsWith("code=") ? Integer.parseInt(q.substring(5)) : 1;
            reply(ex, 200, "exiting " + code + "\n");
            Runtime.getRuntime().halt(code);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (shutdownDelay > 0) {
                stopping.set(true);
                ready.set(false);
                pause(shutdownDelay);
            }
            server.stop(1);
        }));
        server.start();
        System.out.println("testapp " + name + " " + version + " listening on " + port);
        writeLogLines(name);
    }

    private static void writeLogLines(String name) {
        String extra = System.getenv("LOG_EXTRA");
        if (extra != null) {
            System.out.println(extra);
        }
        long lines = Long.parseLong(System.getenv().getOrDefault("LOG_LINES", "0"));
        long rate = Long.parseLong(System.getenv().getOrDefault("LOG_RATE", "0"));
        long start = System.nanoTime();
        for (long i = 1; i <= lines; i++) {
            System.out.println("{\"@timestamp\":\"" + java.time.Instant.now() + "\",\"log.level\":\"INFO\",\"log.logger\":\"testapp\","
                    + "\"message\":\"line " + i + " of " + lines + " from " + name + "\",\"event.sequence\":" + i + "}");
            if (rate > 0 && i % 100 == 0) {
                pause(Math.max(0, (i * 1000 / rate) - (System.nanoTime() - start) / 1_000_000)); // keep to the rate
            }
        }
        System.out.flush();
    }

    /** Busy for {@code millis} of wall time on this thread: cpu use a sampler can see. */
    private static long burn(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        return x;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
