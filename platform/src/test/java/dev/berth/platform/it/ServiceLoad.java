package dev.berth.platform.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A steady stream of requests through a Service proxy from a few client threads, until {@link #stop()}, a cap on
 * requests or a cap on time (so it always ends). Records every failure (an exception or an unexpected status) and
 * how many answers each revision ({@code X-Berth-Revision}) gave.
 */
final class ServiceLoad implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> byRevision = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byVersion = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param request  the n-th request (n counts from 0 over all threads)
     * @param expected which answers count as success
     */
    static ServiceLoad start(int threads, int maxRequests, Duration maxTime, IntFunction<HttpRequest> request, Predicate<HttpResponse<String>> expected) {
        ServiceLoad load = new ServiceLoad();
        long end = System.nanoTime() + maxTime.toNanos();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                int n;
                while (!load.stopped.get() && System.nanoTime() < end && (n = load.issued.getAndIncrement()) < maxRequests) {
                    try {
                        HttpResponse<String> r = load.http.send(request.apply(n), HttpResponse.BodyHandlers.ofString());
                        if (expected.test(r)) {
                            load.succeeded.incrementAndGet();
                            load.byRevision.computeIfAbsent(r.headers().firstValue("X-Berth-Revision").orElse("?"), k -> new AtomicInteger()).incrementAndGet();
                            load.byVersion.computeIfAbsent(version(r.body()), k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            load.failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        load.failures.add(e.toString());
                    }
                }
            }, "service-load-" + t);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    int succeeded() {
        return succeeded.get();
    }

    List<String> failures() {
        return failures;
    }

    /** Answers per revision (pod-template-hash) so far. */
    Map<String, Integer> byRevision() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        byRevision.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Answers per version the test app named in its body ({@code hello from <pod> <version>}) so far. */
    Map<String, Integer> byVersion() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        byVersion.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static String version(String body) {
        String[] words = body == null ? new String[0] : body.strip().split(" ");
        return words.length == 4 && body.startsWith("hello from ") ? words[3] : "?";
    }

    /** Stops issuing and waits for the requests in flight. */
    ServiceLoad stop() throws InterruptedException {
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
