package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.model.HostPort;
import dev.berth.platform.scheduler.model.LabelSelector;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Resources;
import dev.berth.platform.scheduler.model.Taint;
import dev.berth.platform.scheduler.model.TaintEffect;
import dev.berth.platform.scheduler.model.Toleration;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint.WhenUnsatisfiable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated clusters for the property test and the benchmark: mixed node sizes over three zones, some
 * nodes special (SSD label, dedicated taint, PreferNoSchedule taint, cordoned, NotReady), and Deployments
 * of mixed replica sizes, some with node selectors, tolerations, host ports or spread constraints.
 * Deterministic for a seed.
 */
public final class SyntheticCluster {

    public static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};
    public static final Taint DEDICATED_INFRA = Taint.of("dedicated", "infra", TaintEffect.NO_SCHEDULE);
    public static final Taint SPOT = Taint.of("spot", "true", TaintEffect.PREFER_NO_SCHEDULE);

    private static final long GI = 1024L * 1024 * 1024;
    private static final long MI = 1024L * 1024;
    private static final long[][] NODE_SHAPES = {{4000, 16 * GI}, {8000, 32 * GI}, {16000, 64 * GI}, {32000, 128 * GI}, {64000, 256 * GI}};
    private static final int[] NODE_SHAPE_PERCENT = {30, 30, 25, 10, 5};
    private static final long[] CPU_REQUESTS = {100, 250, 500, 1000, 2000};
    private static final int[] CPU_PERCENT = {30, 30, 20, 15, 5};
    private static final long[] MEMORY_REQUESTS = {128 * MI, 256 * MI, 512 * MI, GI, 2 * GI, 4 * GI};
    private static final int[] MEMORY_PERCENT = {20, 25, 25, 15, 10, 5};

    private SyntheticCluster() {
    }

    public static List<NodeInfo> nodes(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<NodeInfo> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] shape = NODE_SHAPES[pick(random, NODE_SHAPE_PERCENT)];
            NodeInfo.Builder node = NodeInfo.builder(String.format("node-%05d", i))
                    .zone(ZONES[i % ZONES.length])
                    .allocatable(Resources.of(shape[0], shape[1]));
            int special = random.nextInt(100);
            if (special < 10) {
                node.label("disktype", "ssd");
            } else if (special < 14) {
                node.taint(DEDICATED_INFRA);
            } else if (special < 17) {
                node.taint(SPOT);
            } else if (special < 19) {
                node.unschedulable(true);
            } else if (special < 20) {
                node.ready(false);
            }
            nodes.add(node.build());
        }
        return nodes;
    }

    /**
     * {@code count} replicas of Deployments with 20..200 replicas each, requests multiplied by {@code sizeScale};
     * replicas of one Deployment are consecutive, as when a Deployment scales up.
     */
    public static List<PodInfo> replicas(int count, long seed, double sizeScale) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PodInfo> replicas = new ArrayList<>(count);
        for (int deployment = 0; replicas.size() < count; deployment++) {
            PodInfo template = template(random, deployment, sizeScale);
            int size = Math.min(20 + random.nextInt(181), count - replicas.size());
            for (int r = 0; r < size; r++) {
                replicas.add(template.withName(template.name() + "-" + r));
            }
        }
        return replicas;
    }

    private static PodInfo template(SplittableRandom random, int deployment, double sizeScale) {
        String app = "app-" + deployment;
        Map<String, String> labels = Map.of("app", app, "pod-template-hash", Integer.toHexString(deployment * 7919));
        long cpu = Math.max(1, (long) (CPU_REQUESTS[pick(random, CPU_PERCENT)] * sizeScale));
        long memory = Math.max(MI, (long) (MEMORY_REQUESTS[pick(random, MEMORY_PERCENT)] * sizeScale));
        PodInfo.Builder pod = PodInfo.builder("ns-" + deployment % 5, app).labels(labels).requests(Resources.of(cpu, memory));
        int special = random.nextInt(100);
        if (special < 10) {
            pod.nodeSelector("disktype", "ssd");
        } else if (special < 15) {
            pod.toleration(Toleration.equal("dedicated", "infra", TaintEffect.NO_SCHEDULE));
        } else if (special < 18) {
            pod.spread(new TopologySpreadConstraint(1, NodeInfo.LABEL_ZONE, WhenUnsatisfiable.DO_NOT_SCHEDULE,
                    LabelSelector.matchLabels(Map.of("app", app))));
        } else if (special < 20) {
            pod.hostPort(HostPort.tcp(9100 + random.nextInt(4)));
        } else if (special < 25) {
            pod.spread(new TopologySpreadConstraint(1, NodeInfo.LABEL_HOSTNAME, WhenUnsatisfiable.SCHEDULE_ANYWAY,
                    LabelSelector.matchLabels(Map.of("app", app))));
        } else if (special < 27) {
            pod.toleration(Toleration.exists("spot", TaintEffect.PREFER_NO_SCHEDULE));
        }
        return pod.build();
    }

    private static int pick(SplittableRandom random, int[] percents) {
        int roll = random.nextInt(100);
        for (int i = 0; i < percents.length; i++) {
            roll -= percents[i];
            if (roll < 0) {
                return i;
            }
        }
        return percents.length - 1;
    }
}
