package dev.berth.platform.api.bench;

import dev.berth.platform.api.ApiOverStore;
import dev.berth.platform.api.ManifestFuzzer;
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
 * The apply path under the fuzz corpus: {@code ObjectResource.apply} over a real {@code LocalEngine} and store (one
 * fsynced file per write), fed the {@link ManifestFuzzer}'s requests in turn. The counters give manifests/s accepted
 * and refused and the 500s (what the core's mappers would not turn into a 4xx: must stay 0); the trial prints the
 * heap's high-water mark. Run with {@code ci/bench-apply.sh} (under the core's 256 MB heap).
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
        ManifestFuzzer fuzzer = new ManifestFuzzer(20261203L, dir.resolve("outside"));
        requests = new ArrayList<>();
        for (int i = 0; i < CORPUS; i++) {
            requests.add(fuzzer.next());
        }
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    @Benchmark
    public void apply(Outcomes outcomes) {
        ManifestFuzzer.Request r = requests.get(next++ % requests.size());
        try {
            core.api.apply(r.body(), r.namespace(), r.dryRun());
            outcomes.accepted++;
        } catch (RuntimeException e) {
            try {
                ApiOverStore.refusal(e);
                outcomes.refused++;
            } catch (RuntimeException unexpected) {
                outcomes.serverErrors++;
                if (firstServerError == null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    unexpected.printStackTrace(new java.io.PrintWriter(trace));
                    firstServerError = trace + "\nnamespace " + r.namespace() + ", dryRun " + r.dryRun() + ":\n" + r.body();
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
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
