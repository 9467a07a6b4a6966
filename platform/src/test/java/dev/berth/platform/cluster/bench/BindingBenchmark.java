package dev.berth.platform.cluster.bench;

import dev.berth.platform.cluster.SchedulerMetrics;
import dev.berth.platform.cluster.SecondaryScheduler;
import dev.berth.platform.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Benchmark (not a test; run by ci/bench-cluster-scheduler.sh): binds per second of the secondary scheduler against
 * fabric8's mock API server (CRUD mode) holding {@code nodes} nodes and {@code pods} pending pods with
 * {@code schedulerName: berth}. Timed from the moment the scheduler leads until the last Binding is acknowledged, so
 * the decision, the snapshot bookkeeping and the Binding's HTTP round trip are all inside. One fresh server per run;
 * runs alternate the binder counts given, so each configuration sees the same noise.
 *
 * <pre>java -cp … BindingBenchmark [nodes] [pods] [runs] [binders,binders…]</pre>
 */
public final class BindingBenchmark {

    /** Held so the setting sticks: the mock server logs every request at INFO, which would be most of the work measured. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int[] binderCounts = args.length > 3 ? java.util.Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {16};
        System.out.printf("nodes=%d pending pods=%d runs=%d binders=%s%n", nodes, pods, runs, java.util.Arrays.toString(binderCounts));
        System.out.println("run\tbinders\tsetup_s\tbinds\tseconds\tbinds_per_s\tmean_bind_ms\tmax_bind_ms");
        for (int run = 1; run <= runs; run++) {
            for (int binders : binderCounts) {
                once(run, nodes, pods, binders, false);
                once(run, nodes, pods, binders, true);
            }
        }
    }

    /**
     * One run on a fresh server. {@code raw}: no scheduler, the same number of Bindings POSTed straight from
     * {@code binders} threads to pods' nodes in turn — what the mock server itself sustains, the ceiling for the run
     * with the scheduler (reported as binders "raw-N").
     */
    static void once(int run, int nodes, int pods, int binders, boolean raw) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            long setupStart = System.nanoTime();
            ExecutorService creators = Executors.newFixedThreadPool(8);
            List<Future<?>> created = new ArrayList<>();
            IntStream.range(0, nodes).forEach(i -> created.add(creators.submit(() -> client.nodes().resource(new NodeBuilder()
                    .withNewMetadata().withName(String.format("node-%05d", i)).addToLabels("topology.kubernetes.io/zone", "zone-" + (i % 3)).endMetadata()
                    .withNewSpec().endSpec()
                    .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("32Gi"))
                    .addToAllocatable("pods", new Quantity("110")).addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create())));
            IntStream.range(0, pods).forEach(i -> created.add(creators.submit(() -> client.pods().inNamespace("bench").resource(new PodBuilder()
                    .withNewMetadata().withName(String.format("web-%05d", i)).withNamespace("bench").addToLabels("app", "web-" + (i % 50)).endMetadata()
                    .withNewSpec().withSchedulerName("berth").addNewContainer().withName("web").withImage("web@sha256:1").withNewResources()
                    .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi")).endResources().endContainer().endSpec()
                    .build()).create())));
            for (Future<?> f : created) {
                f.get();
            }
            creators.shutdown();
            double setup = (System.nanoTime() - setupStart) / 1e9;

            if (raw) {
                ExecutorService posters = Executors.newFixedThreadPool(binders);
                List<Future<?>> posted = new ArrayList<>();
                long start = System.nanoTime();
                IntStream.range(0, pods).forEach(i -> posted.add(posters.submit(() -> client.bindings().inNamespace("bench")
                        .resource(new io.fabric8.kubernetes.api.model.BindingBuilder().withNewMetadata().withName(String.format("web-%05d", i))
                                .withNamespace("bench").endMetadata().withNewTarget().withApiVersion("v1").withKind("Node")
                                .withName(String.format("node-%05d", i % nodes)).endTarget().build()).create())));
                for (Future<?> f : posted) {
                    f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                posters.shutdown();
                System.out.printf("%d\traw-%d\t%.1f\t%d\t%.2f\t%.0f\t-\t-%n", run, binders, setup, pods, seconds, pods / seconds);
                return;
            }
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            SchedulerMetrics metrics = new SchedulerMetrics(meters);
            SecondaryScheduler.Options options = SecondaryScheduler.Options.defaults("berth-system", "bench-" + run)
                    .withElectionTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(100)).withBinders(binders);
            try (SecondaryScheduler scheduler = new SecondaryScheduler(client, Scheduler.withDefaults(run), options, metrics).start()) {
                while (!scheduler.isLeading()) {
                    Thread.sleep(1);
                }
                long start = System.nanoTime();
                long deadline = start + TimeUnit.MINUTES.toNanos(10);
                while (metrics.binds() + metrics.bindErrors() < pods && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Timer binding = meters.get("berth.scheduler.binding.duration").timer();
                System.out.printf("%d\t%d\t%.1f\t%.0f\t%.2f\t%.0f\t%.2f\t%.1f%n", run, binders, setup, metrics.binds(), seconds,
                        metrics.binds() / seconds, binding.mean(TimeUnit.MILLISECONDS), binding.max(TimeUnit.MILLISECONDS));
                if (metrics.bindErrors() > 0 || metrics.binds() < pods) {
                    throw new IllegalStateException(metrics.binds() + " bound, " + metrics.bindErrors() + " binding errors of " + pods);
                }
            }
        } finally {
            server.destroy();
        }
    }
}
