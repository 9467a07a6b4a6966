package dev.berth.platform.apiserver.bench;

import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.apiserver.ApiOverStore;
import dev.berth.platform.apiserver.ManifestFuzzer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Kubernetes API's create and apply paths under the fuzz corpus: {@link ApiOverStore}'s API over HTTP in this JVM
 * over a real store (one fsynced file per write), fed the {@link ManifestFuzzer}'s requests in turn, each document
 * sent where kubectl would send it ({@link ManifestFuzzer.Write}), POSTs and server-side applies alternately. The
 * counters give documents/s accepted and refused and the 500s (must stay 0); the trial prints the heap's high-water
 * mark (server and client together). Run with {@code ci/bench-apply.sh} (under the core's 256 MB heap).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ApplyBenchmark {

    private static final int CORPUS = 2_000;

    private Path dir;
    private ApiOverStore core;
    private List<ManifestFuzzer.Request> requests;
    private int next;
    private String firstServerError;

    /** Per-iteration counts, reported by JMH as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Outcomes {
        public long accepted;
        public long refused;
        public long serverErrors;

        @Setup(Level.Iteration)
        public void reset() {
            accepted = 0;
            refused = 0;
            serverErrors = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("apply-bench");
        core = new ApiOverStore(dir.resolve("core"));
        ApiOverStore.Answer namespace = core.send("POST", "/api/v1/namespaces", CoreApiTokens.ADMIN, "application/yaml",
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: berth}\n");
        if (namespace.code() != 201) {
            throw new IllegalStateException("namespace berth not created: " + namespace.body());
        }
        ManifestFuzzer fuzzer = new ManifestFuzzer(20261203L, dir.resolve("outside"));
        requests = new ArrayList<>();
        for (int i = 0; i < CORPUS; i++) {
            requests.add(fuzzer.next());
        }
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    @Benchmark
    public void apply(Outcomes outcomes) {
        int n = next++;
        ManifestFuzzer.Request r = requests.get(n % requests.size());
        for (String document : r.documents()) {
            ManifestFuzzer.Write write = ManifestFuzzer.Write.of(document, r, n % 2 == 0);
            ApiOverStore.Answer answer = core.send(write.method(), write.path(), CoreApiTokens.ADMIN, write.contentType(), document);
            if (answer.code() < 400) {
                outcomes.accepted++;
            } else if (answer.code() < 500) {
                outcomes.refused++;
            } else {
                outcomes.serverErrors++;
                if (firstServerError == null) {
                    firstServerError = answer.body() + "\n" + write.method() + " " + write.path() + ":\n" + document;
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        long peak = heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%nheap high-water mark (sum of the heap pools' peaks): %d MiB of %d MiB max; outside written: %s%n",
                peak >> 20, Runtime.getRuntime().maxMemory() >> 20, Files.exists(dir.resolve("outside")));
        if (firstServerError != null) {
            System.out.println("first 500: " + firstServerError);
        }
        core.close();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
