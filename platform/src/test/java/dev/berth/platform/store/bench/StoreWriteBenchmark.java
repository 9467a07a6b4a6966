package dev.berth.platform.store.bench;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The store's write path as the API server drives it: {@value #THREADS} threads each creating pods, then binding them
 * ({@code mutate} setting {@code spec.nodeName}, as the scheduling controller does), into a store on tmpfs (so the
 * disk is not what is measured) with one in-process watcher of pods, as the core's controllers are. Every write
 * takes the store's one write lock: what is measured is how long a write holds it and what it costs outside it.
 * Run with {@code ci/bench-store.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(StoreWriteBenchmark.THREADS)
public class StoreWriteBenchmark {

    static final int THREADS = 16;

    /** Where the store lives: tmpfs unless told otherwise. */
    @Param({"/dev/shm"})
    public String root;

    private Path dir;
    private ObjectStore store;
    private ObjectStore.Subscription watcher;
    private final AtomicLong names = new AtomicLong();
    private final AtomicLong seen = new AtomicLong();

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Path.of(root), "berth-store-bench");
        store = new ObjectStore(dir, new KubernetesSerialization(), Clock.systemUTC(), 1000);
        watcher = store.watch(k -> k.kind() == ResourceKind.POD, e -> seen.incrementAndGet());
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        watcher.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One pod created and then bound: two writes. */
    @Benchmark
    public void createThenBind(Blackhole sink) {
        String name = "pod-" + names.incrementAndGet();
        Pod created = store.create(new PodBuilder().withNewMetadata().withName(name).withNamespace("bench")
                .addToLabels("app", "bench").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("127.0.0.1:5000/bench:1")
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi")).endResources()
                .endContainer().endSpec().build());
        Pod bound = store.mutate(ObjectKey.of(created), (Pod p) -> {
            p.getSpec().setNodeName("node-" + (name.hashCode() & 1023));
            return p;
        });
        sink.consume(bound);
    }
}
