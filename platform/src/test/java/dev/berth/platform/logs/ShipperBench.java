package dev.berth.platform.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * ci/bench-logs.sh: the log shipper against a raw {@code _bulk} load of the same documents, alternating, into the same
 * Elasticsearch. The shipper tails {@code FILES} log files of {@code LINES} JSON lines each (real order-service line
 * shapes) and runs until Elasticsearch acknowledged every line; the raw side sends the documents the shipper would
 * build, pre-serialised in memory, as {@code _bulk} requests of the same size and concurrency from the JDK's HTTP
 * client. Prints one line per run and the medians; the shipper's peak heap in use is sampled every 50 ms.
 *
 * <p>Each side's CPU per document is printed too: the shipper's (this JVM while it runs), the raw client's (this JVM
 * while it sends), and Elasticsearch's (from {@code /proc}, when its pid is given), since on a shared 2-core machine
 * documents/s follow the CPU the other processes leave, and CPU per document does not.
 *
 * <p>Args: elasticsearch-url work-dir files lines rounds [elasticsearch-pid].
 */
public final class ShipperBench {

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String es = args[0];
        Path work = Path.of(args[1]);
        int files = Integer.parseInt(args[2]);
        int lines = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int total = files * lines;
        List<Double> shipperRates = new ArrayList<>();
        List<Double> rawRates = new ArrayList<>();
        List<Long> peaks = new ArrayList<>();
        List<Double> cpuPerDoc = new ArrayList<>();
        List<Double> rawCpuPerDoc = new ArrayList<>();
        List<Double> esShipperCpuPerDoc = new ArrayList<>();
        List<Double> esRawCpuPerDoc = new ArrayList<>();
        long esPid = args.length > 5 ? Long.parseLong(args[5]) : -1;
        try (Elasticsearch client = new Elasticsearch(URI.create(es))) {
            deleteIndices(es); // what an interrupted run left
            IndexTemplate template = new IndexTemplate(client.client());
            if (!template.ensureApplied()) {
                throw new IllegalStateException("Elasticsearch at " + es + " did not take the index template");
            }
            // warm-up rounds first, both sides, not counted: Elasticsearch's CPU per document fell from ≈ 100 to ≈ 25 µs
            // over its first ≈ 500,000 documents (measured), so a cold one made the first rounds measure its JIT
            int warmup = Integer.getInteger("bench.warmup", 1);
            for (int round = 1 - warmup; round <= rounds; round++) {
                if (round == 1) {
                    for (List<?> l : List.of(shipperRates, rawRates, peaks, cpuPerDoc, rawCpuPerDoc, esShipperCpuPerDoc, esRawCpuPerDoc)) {
                        l.clear();
                    }
                }
                String label = round >= 1 ? "round " + round : "warm-up " + (round + warmup);
                Path pods = writeLogFiles(work.resolve("round-" + round), files, lines);
                // the raw side's own copy: the shipper removes the files it finished of pods not in its store
                Path rawPods = writeLogFiles(work.resolve("round-" + round + "-raw"), files, lines);
                // alternate which side goes first, so neither always meets a warmer Elasticsearch
                boolean shipperFirst = Math.floorMod(round, 2) == 1;
                for (int side = 0; side < 2; side++) {
                    if ((side == 0) == shipperFirst) {
                        long[] peak = new long[1];
                        System.gc(); // the other side's garbage is not the shipper's to collect
                        Map<String, Double> threads = ThreadCpu.snapshot();
                        Map<String, Double> threadsAtEnd = new HashMap<>();
                        double cpu = cpuSeconds();
                        double esCpu = esCpuSeconds(esPid);
                        double seconds = shipper(client, template, pods, work.resolve("state-" + round), total, peak, threadsAtEnd);
                        cpu = cpuSeconds() - cpu;
                        esCpu = esCpuSeconds(esPid) - esCpu;
                        esShipperCpuPerDoc.add(esCpu * 1e6 / total);
                        shipperRates.add(total / seconds);
                        peaks.add(peak[0]);
                        cpuPerDoc.add(cpu * 1e6 / total);
                        System.out.printf("%s shipper: %d docs in %.2f s = %.0f docs/s, peak heap in use %d MiB, shipper CPU %.1f s (%.0f µs/doc),"
                                + " Elasticsearch CPU %.1f s (%.0f µs/doc)%n", label, total, seconds, total / seconds, peak[0] >> 20, cpu, cpu * 1e6 / total,
                                esCpu, esCpu * 1e6 / total);
                        System.out.printf("%s shipper: this JVM's CPU by thread until the last acknowledgement: %s%n", label,
                                ThreadCpu.perDocument(threads, threadsAtEnd, total));
                    } else {
                        double[] cpu = new double[2];
                        double seconds = raw(es, rawPods, work.resolve("state-" + round + "-raw"), total, esPid, cpu);
                        rawRates.add(total / seconds);
                        rawCpuPerDoc.add(cpu[0] * 1e6 / total);
                        esRawCpuPerDoc.add(cpu[1] * 1e6 / total);
                        System.out.printf("%s raw _bulk: %d docs in %.2f s = %.0f docs/s, client CPU %.1f s (%.0f µs/doc), Elasticsearch CPU %.1f s"
                                + " (%.0f µs/doc)%n", label, total, seconds, total / seconds, cpu[0], cpu[0] * 1e6 / total, cpu[1], cpu[1] * 1e6 / total);
                    }
                    deleteIndices(es);
                }
            }
        }
        double shipper = median(shipperRates);
        double raw = median(rawRates);
        System.out.printf("median shipper %.0f docs/s, raw _bulk %.0f docs/s: shipper = %.1f %% of raw; peak heap in use %d MiB, shipper CPU %.0f µs/doc (medians)%n",
                shipper, raw, 100 * shipper / raw, median(peaks.stream().map(Long::doubleValue).toList()).longValue() >> 20, median(cpuPerDoc));
        System.out.printf("median CPU per document: shipper %.0f + Elasticsearch %.0f µs vs raw client %.0f + Elasticsearch %.0f µs%n",
                median(cpuPerDoc), median(esShipperCpuPerDoc), median(rawCpuPerDoc), median(esRawCpuPerDoc));
    }

    static Path writeLogFiles(Path dir, int files, int lines) throws IOException {
        Path pods = dir.resolve("pods");
        String now = Instant.now().toString();
        for (int f = 0; f < files; f++) {
            Path log = Files.createDirectories(pods.resolve("bench").resolve("order-service-" + f).resolve("logs")).resolve("order-service.log");
            StringBuilder sb = new StringBuilder(lines * 520);
            for (int i = 1; i <= lines; i++) {
                sb.append("{\"@timestamp\":\"").append(now).append("\",\"event.sequence\":").append(i)
                        .append(",\"log.logger\":\"dev.berth.order.service.OrderService\",\"log.level\":\"INFO\",\"message\":\"order ")
                        .append(f).append('-').append(i).append(" placed for 9.90 EUR: PAID\",\"process.thread.name\":\"executor-thread-2\","
                                + "\"process.thread.id\":29,\"mdc\":{\"spanId\":\"5f3911899e816b26\",\"traceId\":\"03c7e80c41be757626dd398972b72464\","
                                + "\"sampled\":\"true\"},\"trace.id\":\"03c7e80c41be757626dd398972b72464\",\"host.hostname\":\"vm\",\"process.pid\":11019,"
                                + "\"ecs.version\":\"1.12.2\",\"service.name\":\"order-service\",\"service.version\":\"0.1.0\",\"service.environment\":\"prod\"}\n");
            }
            try (FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
                // on disk before either side runs: otherwise the first side of a round shares the disk with the files'
                // writeback, and Elasticsearch's translog fsync after each bulk request waits behind it
                out.force(true);
            }
        }
        return pods;
    }

    /**
     * @param template applied once before the first round, as the core applies it once per start: a new one per run
     *     would PUT it again, a cluster-state update on Elasticsearch's CPU and in the shipper's time that the raw side
     *     does not have
     * @param threadsAtEnd filled with {@link ThreadCpu#snapshot()} once every line was acknowledged, before the shipper's threads end */
    static double shipper(Elasticsearch client, IndexTemplate template, Path pods, Path state, int total, long[] peak, Map<String, Double> threadsAtEnd)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObjectStore store = new ObjectStore(Files.createDirectories(state.resolve("store")), new KubernetesSerialization(), Clock.systemUTC(), 100);
        var heap = ManagementFactory.getMemoryMXBean();
        long baseline = heap.getHeapMemoryUsage().getUsed();
        long start = System.nanoTime();
        try (LogShipper shipper = new LogShipper(CONFIG, client.client(), template, new LogSources(pods, store),
                LogStartOffsets.load(state.resolve("log-start-offsets.json")), state.resolve("shipper"), Clock.systemUTC(), meters)) {
            shipper.start();
            while (meters.get("berth.logs.documents.acked").counter().count() < total) {
                peak[0] = Math.max(peak[0], heap.getHeapMemoryUsage().getUsed() - baseline);
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            threadsAtEnd.putAll(ThreadCpu.snapshot());
            return seconds;
        }
    }

    /** The same documents the shipper builds, serialised up front, sent as _bulk requests like the shipper's. */
    static double raw(String es, Path pods, Path state, int total, long esPid, double[] cpu) throws Exception {
        LogSources sources = new LogSources(pods, new ObjectStore(Files.createDirectories(state.resolve("store")), new KubernetesSerialization(),
                Clock.systemUTC(), 100));
        List<byte[]> bodies = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int inBody = 0;
        int documents = 0;
        try (var logs = Files.find(pods, 4, (p, a) -> p.toString().endsWith(".log"))) {
            for (Path log : logs.toList()) {
                LogSources.Found found = new LogSources.Found(log, LogSources.inode(log));
                // described as the shipper describes its files (same metadata, same id scheme): the same documents
                LogSource source = sources.describe(found);
                byte[] bytes = Files.readAllBytes(log);
                int from = 0;
                String previous = null;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == '\n') {
                        LogDocument d = LogDocument.of(source, bytes, from, i - from, from, previous, CONFIG.indexPrefix());
                        previous = d.timestamp();
                        body.write(("{\"index\":{\"_index\":\"" + d.index() + "\",\"_id\":\"" + d.id() + "\"}}\n").getBytes(StandardCharsets.UTF_8));
                        body.write(JSON.writeValueAsBytes(d.body()));
                        body.write('\n');
                        from = i + 1;
                        documents++;
                        if (++inBody == CONFIG.batchDocuments()) {
                            bodies.add(body.toByteArray());
                            body.reset();
                            inBody = 0;
                        }
                    }
                }
            }
        }
        if (documents != total) {
            throw new IllegalStateException("the raw side found " + documents + " lines of " + total + " under " + pods);
        }
        if (inBody > 0) {
            bodies.add(body.toByteArray());
        }
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService senders = Executors.newFixedThreadPool(CONFIG.concurrentRequests());
        System.gc(); // the shipper's garbage and the bodies' building are not the raw side's to collect
        cpu[0] = cpuSeconds();
        cpu[1] = esCpuSeconds(esPid);
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (byte[] b : bodies) {
            sent.add(senders.submit(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(es + "/_bulk")).header("Content-Type", "application/x-ndjson")
                        .POST(body(b)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || r.body().contains("\"errors\":true")) {
                    throw new IllegalStateException("_bulk failed: " + r.body().substring(0, Math.min(500, r.body().length())));
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        cpu[0] = cpuSeconds() - cpu[0];
        cpu[1] = esCpuSeconds(esPid) - cpu[1];
        senders.shutdown();
        return seconds;
    }

    /**
     * This JVM's CPU by kind of thread, from {@code /proc/self/task/<tid>/stat} (native threads too: the collector's and
     * the JIT compilers', which {@code ThreadMXBean} does not see). A thread that ended between two snapshots is missing.
     */
    static final class ThreadCpu {
        static Map<String, Double> snapshot() throws IOException {
            Map<String, Double> byThread = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (NoSuchFileException e) {
                        continue; // ended since the listing
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    byThread.put(task.getFileName() + " " + name, cpuSecondsOf(stat));
                }
            }
            return byThread;
        }

        /** "reader 1.2, client I/O 0.8, GC 3.1, JIT 2.0, other 0.3 µs/doc": what each kind of thread spent between the snapshots. */
        static String perDocument(Map<String, Double> before, Map<String, Double> after, int documents) {
            Map<String, Double> byKind = new LinkedHashMap<>();
            for (String kind : List.of("reader", "client I/O", "GC", "JIT", "other")) {
                byKind.put(kind, 0.0);
            }
            after.forEach((thread, seconds) -> byKind.merge(kind(thread.substring(thread.indexOf(' ') + 1)),
                    seconds - before.getOrDefault(thread, 0.0), Double::sum));
            StringBuilder out = new StringBuilder();
            byKind.forEach((kind, seconds) -> out.append(out.isEmpty() ? "" : ", ").append(kind).append(' ')
                    .append(String.format("%.1f", seconds * 1e6 / documents)));
            return out.append(" µs/doc").toString();
        }

        static String kind(String thread) {
            if (thread.startsWith("log-shipper")) {
                return "reader";
            }
            if (thread.startsWith("elasticsearch-r") || thread.startsWith("I/O dispatcher")) {
                return "client I/O";
            }
            if (thread.startsWith("G1 ") || thread.startsWith("GC Thread") || thread.startsWith("VM Thread")) {
                return "GC";
            }
            if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
                return "JIT";
            }
            return "other";
        }
    }

    /**
     * A raw request's body: with a Content-Length, or with {@code -Dbench.raw.chunk=N} (BENCH_RAW_CHUNK) in HTTP chunks of
     * N bytes, as the shipper's client sends a body (in chunks of its connection buffer's size: 8 KiB by default).
     */
    static HttpRequest.BodyPublisher body(byte[] b) {
        int chunk = Integer.getInteger("bench.raw.chunk", 0);
        if (chunk <= 0) {
            return HttpRequest.BodyPublishers.ofByteArray(b);
        }
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < b.length; i += chunk) {
            chunks.add(Arrays.copyOfRange(b, i, Math.min(b.length, i + chunk)));
        }
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(chunks)); // no length: chunked
    }

    /** CPU time this JVM used so far (all threads). */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU time the Elasticsearch process used so far (user + system, from /proc), or 0 without a pid. */
    static double esCpuSeconds(long pid) throws IOException {
        if (pid < 0) {
            return 0;
        }
        return cpuSecondsOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** utime + stime of a process's or thread's {@code /proc/.../stat} line, in seconds (clock ticks, USER_HZ 100). */
    static double cpuSecondsOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name in parentheses may hold spaces
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /**
     * Deletes the benchmark's indices by name: Elasticsearch refuses a wildcard delete ({@code action.destructive_requires_name}),
     * and an index left over makes every later side index into a bigger index, and re-index ids a reused inode gives
     * again (an update, not a create): Elasticsearch's CPU per document then grows run after run.
     */
    static void deleteIndices(String es) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> resolved = http.send(HttpRequest.newBuilder(URI.create(es + "/_resolve/index/" + CONFIG.indexPrefix() + "*")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (resolved.statusCode() != 200) {
            throw new IllegalStateException("cannot list the benchmark's indices: " + resolved.statusCode() + " " + resolved.body());
        }
        List<String> names = new ArrayList<>();
        JSON.readTree(resolved.body()).path("indices").forEach(i -> names.add(i.path("name").asText()));
        if (names.isEmpty()) {
            return;
        }
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(es + "/" + String.join(",", names))).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        if (deleted.statusCode() != 200) {
            throw new IllegalStateException("cannot delete " + names + ": " + deleted.statusCode() + " " + deleted.body());
        }
    }

    static Double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The core's defaults (application.properties / CoreConfig), with the benchmark's own index prefix. */
    static final CoreConfig.Logs CONFIG = new CoreConfig.Logs() {
        public Optional<URI> elasticsearchUrl() { return Optional.empty(); }
        public String indexPrefix() { return "berth-logs-bench-"; }
        public int batchDocuments() { return 2000; }
        public long batchBytes() { return 4194304; }
        public Duration flushInterval() { return Duration.ofSeconds(1); }
        public int concurrentRequests() { return Integer.getInteger("bench.concurrent", 2); }
        public int maxInFlight() { return 10000; }
        public Duration pollInterval() { return Duration.ofMillis(200); }
    };
}
