package dev.berth.platform.scheduler.bench;

import dev.berth.platform.scheduler.PlacementDecision;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.scheduler.SyntheticCluster;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One placement as the core's loop performs it — full filter and score over 5,000 nodes, then
 * {@code snapshot.assume} — against a cluster already running {@code existingReplicas} replicas. To keep the
 * cluster at that size, each placement also forgets the replica placed {@value #IN_FLIGHT} placements
 * earlier (a steady churn of scale-ups and scale-downs). Run with {@code ci/bench-scheduler.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlacementBenchmark {

    private static final int IN_FLIGHT = 1_000;

    @Param({"5000"})
    public int nodes;

    @Param({"10000", "150000"})
    public int existingReplicas;

    private ClusterSnapshot snapshot;
    private Scheduler scheduler;
    private PodInfo[] templates;
    private final PodInfo[] placed = new PodInfo[IN_FLIGHT];
    private long placements;

    @Setup(Level.Trial)
    public void buildCluster() {
        // replicas at half the generator's sizes: 150,000 of them take about half the cluster, leaving room to place more
        snapshot = ClusterSnapshot.of(SyntheticCluster.nodes(nodes, 42), List.of());
        scheduler = Scheduler.withDefaults(1);
        for (PodInfo replica : SyntheticCluster.replicas(existingReplicas, 7, 0.5)) {
            if (scheduler.schedule(snapshot, replica) instanceof PlacementDecision.Placed decision) {
                snapshot.assume(replica, decision.nodeName());
            }
        }
        // new replicas of the same Deployments (same labels, so spreading has existing pods to count), and of new ones
        templates = SyntheticCluster.replicas(20_000, 7, 0.5).toArray(PodInfo[]::new);
    }

    @Benchmark
    public PlacementDecision placeReplica() {
        long n = placements++;
        PodInfo template = templates[(int) (n % templates.length)];
        PodInfo replica = template.withName("bench-" + n);
        PlacementDecision decision = scheduler.schedule(snapshot, replica);
        int slot = (int) (n % IN_FLIGHT);
        if (placed[slot] != null) {
            snapshot.forget(placed[slot]);
            placed[slot] = null;
        }
        if (decision instanceof PlacementDecision.Placed placement) {
            snapshot.assume(replica, placement.nodeName());
            placed[slot] = replica;
        }
        return decision;
    }
}
