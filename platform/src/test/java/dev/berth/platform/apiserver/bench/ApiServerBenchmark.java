package dev.berth.platform.apiserver.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test; run by ci/bench-apiserver.sh) of a running core's Kubernetes API over plain HTTP with a
 * bearer token, as any client would see it:
 *
 * <ul>
 *   <li>{@code seed-list <pods>}: namespace {@code bench}, one Node registered through the API (not a virtual node: no
 *       kubelet runs its pods) and {@code pods} Pods bound to it, for the list measurements (wrk, in the script).</li>
 *   <li>{@code watch <watchers> <changes/s> <seconds>}: {@code watchers} watches of ConfigMaps in {@code bench} while
 *       writers change ConfigMaps at the given rate; each change carries the {@link System#nanoTime()} its request was
 *       sent at, so the lag is from the request's start (the write's own latency included) to the line read by a
 *       watcher. Checks that every watcher saw every acknowledged change, once, in resourceVersion order.</li>
 *   <li>{@code bind <nodes> <pods> <clients>}: the virtual nodes cordoned, {@code nodes} Nodes registered through the API
 *       (Ready, 4 CPUs, 32Gi, 110 pods, as scheduler_perf's default node; no kubelet), then {@code pods} Pods without a
 *       node POSTed by {@code clients} threads while one watcher waits to see each bound. Pods/s from the first POST to the
 *       last bound event.</li>
 * </ul>
 *
 * <pre>java -cp … ApiServerBenchmark http://127.0.0.1:PORT TOKEN_FILE MODE ARGS…</pre>
 */
public final class ApiServerBenchmark {

    static final String NS = "bench";
    private static final Pattern RV = Pattern.compile("\"resourceVersion\":\"(\\d+)\"");

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    ApiServerBenchmark(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        ApiServerBenchmark b = new ApiServerBenchmark(args[0], Files.readString(Path.of(args[1])).strip());
        int[] n = Arrays.stream(args).skip(3).mapToInt(Integer::parseInt).toArray();
        switch (args[2]) {
            case "seed-list" -> b.seedList(n[0]);
            case "watch" -> {
                if (n.length > 3 && n[3] > 0) { // a warm-up run first: the core's and this JVM's JIT, not measured
                    b.watch(n[0], n[1], n[3], "warm-up: ");
                }
                b.watch(n[0], n[1], n[2], "");
            }
            case "bind" -> b.bind(n[0], n[1], n[2]);
            default -> throw new IllegalArgumentException("mode: seed-list, watch or bind");
        }
        System.exit(0);
    }

    // ---- seeding

    void seedList(int pods) throws Exception {
        namespace();
        node("bench-node-0");
        long t0 = System.nanoTime();
        parallel(16, pods, i -> post("/api/v1/namespaces/" + NS + "/pods", pod("pod-" + i, "bench-node-0")));
        System.out.printf("seeded %d pods in %.1f s%n", pods, (System.nanoTime() - t0) / 1e9);
    }

    void namespace() throws Exception {
        send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}", Set.of(201, 409));
    }

    /** A Node as scheduler_perf's node-default.yaml: Ready, 4 CPUs, 32Gi, 110 pods; its status through the status subresource. */
    void node(String name) throws Exception {
        String meta = "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"kubernetes.io/hostname\":\"" + name + "\"}}";
        String created = send("POST", "/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\"," + meta + ",\"spec\":{}}", Set.of(201));
        String rv = match(RV, created);
        String status = "{\"capacity\":{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"},\"allocatable\":{\"cpu\":\"4\",\"memory\":\"32Gi\",\"pods\":\"110\"},"
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}]}";
        send("PUT", "/api/v1/nodes/" + name + "/status", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"resourceVersion\":\"" + rv + "\"},\"spec\":{},\"status\":" + status + "}", Set.of(200));
    }

    /** scheduler_perf's pod-default.yaml: one container requesting 100m and 500Mi; {@code node} null for a pending pod. */
    static String pod(String name, String node) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{"
                + (node == null ? "" : "\"nodeName\":\"" + node + "\",")
                + "\"containers\":[{\"name\":\"pause\",\"image\":\"registry.k8s.io/pause:3.9\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"500Mi\"}}}]}}";
    }

    // ---- watch lag

    void watch(int watchers, int rate, int seconds, String label) throws Exception {
        namespace();
        int objects = Math.max(100, rate / 10);
        parallel(16, objects, i -> send("POST", "/api/v1/namespaces/" + NS + "/configmaps", configMap(i, 0), Set.of(201, 409))); // 409: a warm-up made it
        long clientCpuBefore = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();
        long coreTicksBefore = coreTicks();
        long from = Long.parseLong(match(RV, send("GET", "/api/v1/namespaces/" + NS + "/configmaps?limit=1", null, Set.of(200))));
        List<Watcher> ws = new ArrayList<>();
        for (int i = 0; i < watchers; i++) {
            ws.add(new Watcher("/api/v1/namespaces/" + NS + "/configmaps?watch=true&resourceVersion=" + from));
        }
        long openBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // a server that sends its head with the first event only opens later
        for (Watcher w : ws) {
            w.opened.await(Math.max(0, openBy - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (w.failed != null) {
                throw new IllegalStateException("a watch was refused: " + w.failed);
            }
        }
        int writers = 32;
        long total = (long) rate * seconds;
        long periodNanos = 1_000_000_000L * writers / rate; // each writer paces itself; together they make `rate`
        Set<Long> written = ConcurrentHashMap.newKeySet();
        long[] writeLatency = new long[(int) total];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            long offset = periodNanos * t / writers;
            futures.add(pool.submit(() -> {
                for (long k = 0;; k++) {
                    long due = start + offset + k * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int i = next.getAndIncrement();
                    if (i >= total) {
                        return null;
                    }
                    long sent = System.nanoTime();
                    String body = "{\"metadata\":{\"annotations\":{\"bench/sent\":\"" + sent + "\"}}}";
                    String answer = send("PATCH", "/api/v1/namespaces/" + NS + "/configmaps/cm-" + (i % objects), body, Set.of(200));
                    writeLatency[i] = System.nanoTime() - sent;
                    written.add(Long.parseLong(match(RV, answer)));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ws.stream().anyMatch(w -> w.receivedCount() < written.size()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long lost = 0;
        long disordered = 0;
        java.util.stream.LongStream.Builder lags = java.util.stream.LongStream.builder();
        for (Watcher w : ws) {
            w.close();
            lost += written.stream().filter(v -> !w.received(v)).count();
            disordered += w.disordered.get();
            Arrays.stream(w.lags()).forEach(lags::add);
        }
        long[] sortedWrites = Arrays.stream(writeLatency).filter(x -> x > 0).sorted().toArray();
        long[] sortedLags = lags.build().sorted().toArray();
        System.out.printf("%swatchers=%d changes=%d in %.2f s (%.0f/s asked %d/s) deliveries=%d lost=%d out-of-order/duplicate=%d%n",
                label, watchers, written.size(), writeSeconds, written.size() / writeSeconds, rate, sortedLags.length, lost, disordered);
        System.out.printf("%slag_ms p50=%.1f p99=%.1f max=%.1f write_ms p50=%.1f p99=%.1f%n", label, pct(sortedLags, 50), pct(sortedLags, 99),
                pct(sortedLags, 100), pct(sortedWrites, 50), pct(sortedWrites, 99));
        // both processes' CPU during this run (the writers and watchers here; the core from /proc): they share the machine
        System.out.printf("%sclient_cpu_s=%.1f core_cpu_s=%s%n", label,
                (ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis() - clientCpuBefore) / 1000.0,
                coreTicksBefore < 0 ? "?" : String.format("%.1f", (coreTicks() - coreTicksBefore) / 100.0));
    }

    /** The core's CPU so far in clock ticks (utime + stime of {@code -Dbench.core.pid}, USER_HZ 100), or -1 without it. */
    static long coreTicks() throws java.io.IOException {
        String pid = System.getProperty("bench.core.pid");
        if (pid == null) {
            return -1;
        }
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static String configMap(int i, long sent) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i + "\",\"annotations\":{\"bench/sent\":\"" + sent
                + "\"}},\"data\":{\"key\":\"value-" + i + "\"}}";
    }

    /**
     * The watchers' HTTP client: Vert.x on one event loop, so 100 streams cost the machine the benchmark shares with the
     * core one thread and no copy per line (a JDK client thread per stream, each decoding its chunks into a reader, took
     * about as much CPU as the core).
     */
    private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)
            .setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    private final io.vertx.core.http.HttpClient watchClient = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
            .setKeepAlive(false), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(1000));

    private static final byte[] RV_FIELD = "\"resourceVersion\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SENT_FIELD = "\"bench/sent\":\"".getBytes(StandardCharsets.UTF_8);

    /**
     * A watch stream: every event's resourceVersion, whether they came in order, and the lag of each write's event. Its
     * lines are read on the client's event loop and scanned as bytes: no strings, no boxing per line.
     */
    private final class Watcher {
        private final java.util.BitSet received = new java.util.BitSet(); // resourceVersions, once each
        private long[] lags = new long[1 << 14];
        private int lagCount;
        private int receivedCount;
        final AtomicLong disordered = new AtomicLong();
        final CountDownLatch opened = new CountDownLatch(1);
        private volatile io.vertx.core.http.HttpConnection connection;
        volatile String failed;
        private long last;

        Watcher(String path) {
            URI uri = URI.create(base);
            watchClient.request(io.vertx.core.http.HttpMethod.GET, uri.getPort(), uri.getHost(), path)
                    .compose(req -> req.putHeader("Authorization", "Bearer " + token).send())
                    .onSuccess(r -> {
                        connection = r.request().connection();
                        if (r.statusCode() != 200) {
                            r.body().onComplete(b -> {
                                failed = r.statusCode() + " " + (b.succeeded() ? b.result().toString() : b.cause().toString());
                                opened.countDown();
                            });
                            return;
                        }
                        opened.countDown();
                        r.handler(io.vertx.core.parsetools.RecordParser.newDelimited("\n", this::line));
                        r.exceptionHandler(e -> { }); // closed by the benchmark, or failed: the counts say which
                    })
                    .onFailure(e -> {
                        failed = e.toString();
                        opened.countDown();
                    });
        }

        private synchronized void line(io.vertx.core.buffer.Buffer buffer) {
            long now = System.nanoTime();
            byte[] line = buffer.getBytes();
            long rv = number(line, RV_FIELD);
            if (rv <= last || rv > Integer.MAX_VALUE || received.get((int) rv)) {
                disordered.incrementAndGet();
            } else {
                received.set((int) rv);
                receivedCount++;
            }
            last = rv;
            long sent = number(line, SENT_FIELD);
            if (sent > 0) {
                if (lagCount == lags.length) {
                    lags = Arrays.copyOf(lags, lagCount * 2);
                }
                lags[lagCount++] = now - sent;
            }
        }

        synchronized int receivedCount() {
            return receivedCount;
        }

        synchronized boolean received(long rv) {
            return rv > 0 && rv <= Integer.MAX_VALUE && received.get((int) rv);
        }

        synchronized long[] lags() {
            return Arrays.copyOf(lags, lagCount);
        }

        void close() {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** The digits after {@code field}'s first occurrence in {@code line}, or -1 when it has none. */
    static long number(byte[] line, byte[] field) {
        outer:
        for (int at = 0; at + field.length <= line.length; at++) {
            for (int k = 0; k < field.length; k++) {
                if (line[at + k] != field[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int i = at + field.length;
            int from = i;
            while (i < line.length && line[i] >= '0' && line[i] <= '9') {
                value = value * 10 + (line[i++] - '0');
            }
            return i == from ? -1 : value;
        }
        return -1;
    }

    // ---- bind throughput

    void bind(int nodes, int pods, int clients) throws Exception {
        namespace();
        String virtual = send("GET", "/api/v1/nodes?labelSelector=node.berth.dev/virtual%3Dtrue", null, Set.of(200));
        for (var item : new com.fasterxml.jackson.databind.ObjectMapper().readTree(virtual).get("items")) {
            // cordoned: the bench's pods go to the registered nodes only, never run by the core's kubelet
            send("PATCH", "/api/v1/nodes/" + item.get("metadata").get("name").asText(), "{\"spec\":{\"unschedulable\":true}}", Set.of(200));
        }
        long t0 = System.nanoTime();
        parallel(clients, nodes, i -> {
            node("bench-node-" + i);
            return null;
        });
        System.out.printf("registered %d nodes in %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
        long from = Long.parseLong(match(RV, send("GET", "/api/v1/namespaces/" + NS + "/pods?limit=1", null, Set.of(200))));
        Set<String> bound = ConcurrentHashMap.newKeySet();
        AtomicLong lastBound = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        CountDownLatch opened = new CountDownLatch(1);
        Pattern name = Pattern.compile("\"name\":\"(bind-\\d+)\"");
        Thread watcher = new Thread(() -> {
            try {
                HttpResponse<InputStream> r = http.send(request("GET", "/api/v1/namespaces/" + NS + "/pods?watch=true&resourceVersion=" + from, null),
                        HttpResponse.BodyHandlers.ofInputStream());
                opened.countDown();
                BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                for (String line; (line = lines.readLine()) != null;) {
                    Matcher m = name.matcher(line);
                    if (line.contains("\"nodeName\":\"") && m.find() && bound.add(m.group(1))) {
                        lastBound.set(System.nanoTime());
                        if (bound.size() == pods) {
                            all.countDown();
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                opened.countDown();
            }
        }, "bind-watcher");
        watcher.setDaemon(true);
        watcher.start();
        opened.await(30, TimeUnit.SECONDS);
        long start = System.nanoTime();
        Thread creators = new Thread(() -> {
            try {
                parallel(clients, pods, i -> post("/api/v1/namespaces/" + NS + "/pods", pod("bind-" + i, null)));
                System.out.printf("created %d pods in %.2f s%n", pods, (System.nanoTime() - start) / 1e9);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        creators.start();
        long cap = Long.getLong("bench.bind.seconds", 300);
        boolean done = all.await(cap, TimeUnit.SECONDS);
        double seconds = ((done ? lastBound.get() : System.nanoTime()) - start) / 1e9;
        System.out.printf("nodes=%d pods=%d clients=%d bound=%d in %.2f s: %.0f pods/s%s%n", nodes, pods, clients, bound.size(), seconds,
                bound.size() / seconds, done ? "" : " (stopped after " + cap + " s)");
    }

    // ---- HTTP

    interface Indexed {
        Object run(int i) throws Exception;
    }

    static void parallel(int threads, int count, Indexed task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count;) {
                    task.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    String post(String path, String body) throws Exception {
        return send("POST", path, body, Set.of(201));
    }

    HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
        if (body == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        String type = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
        return b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    String send(String method, String path, String body, Set<Integer> expected) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        if (!expected.contains(r.statusCode())) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(p + " not in " + (text.length() > 300 ? text.substring(0, 300) : text));
        }
        return m.group(1);
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
