package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.PreScorePlugin;
import dev.berth.platform.scheduler.framework.ScoreExtensions;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.LabelSelector;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint;
import dev.berth.platform.scheduler.model.TopologySpreadConstraint.WhenUnsatisfiable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Spreads matching pods over topology domains. Filter: a DoNotSchedule constraint rejects a node whose
 * domain would exceed {@code maxSkew} over the least-loaded eligible domain. Score: ScheduleAnyway
 * constraints — or, for pods that declare none, kube-scheduler's system defaults (hostname maxSkew 3,
 * zone maxSkew 5) over pods with the same template labels — favour domains with fewer matching pods.
 * Not supported: {@code minDomains}, node inclusion policies other than the defaults (Honor affinity, Ignore taints).
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions {

    public static final String NAME = "PodTopologySpread";
    public static final String REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    public static final String REASON_MISSING_LABEL = REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";

    /** Per-pod identity labels that the owning StatefulSet's selector never includes, so defaults ignore them. */
    private static final Set<String> POD_IDENTITY_LABELS =
            Set.of("statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "controller-revision-hash");
    private static final long IGNORED_NODE = -1;
    private static final Status SKEWED = Status.unschedulable(NAME, REASON_CONSTRAINTS_NOT_MATCH);
    private static final Status MISSING_LABEL = Status.unresolvable(NAME, REASON_MISSING_LABEL);
    private static final CycleState.Key<SpreadCounts> FILTER_STATE = CycleState.Key.of(NAME + "/filter");
    private static final CycleState.Key<ScoreState> SCORE_STATE = CycleState.Key.of(NAME + "/score");

    /** What {@link #score} reads per node, flattened into arrays: it runs for hundreds of nodes per cycle. */
    private record ScoreState(boolean requireAllKeys, int[][] domainOfNode, int[][] countsByDomain, double[] normalizingWeight,
                              int[] maxSkew) {
        static ScoreState of(SpreadCounts counts, double[] normalizingWeight) {
            int size = counts.constraints.size();
            int[][] domainOfNode = new int[size][];
            int[] maxSkew = new int[size];
            for (int i = 0; i < size; i++) {
                domainOfNode[i] = counts.domains[i].domainOfNodes();
                maxSkew[i] = counts.constraints.get(i).maxSkew();
            }
            return new ScoreState(counts.requireAllKeys, domainOfNode, counts.countsByDomain, normalizingWeight, maxSkew);
        }

        boolean hasAllKeys(int nodeIndex) {
            for (int[] domains : domainOfNode) {
                if (domains[nodeIndex] < 0) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        List<TopologySpreadConstraint> hard = constraints(pod, true);
        if (hard.isEmpty()) {
            state.skipFilter(NAME);
        } else {
            state.write(FILTER_STATE, new SpreadCounts(state.snapshot(), pod, hard, true));
        }
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        SpreadCounts counts = state.read(FILTER_STATE);
        int nodeIndex = node.index();
        for (int i = 0; i < counts.constraints.size(); i++) {
            int matching = counts.countAt(i, nodeIndex);
            if (matching < 0) {
                return MISSING_LABEL;
            }
            if (!skewAllows(matching, counts.selfMatch[i], counts.minCount[i], counts.constraints.get(i).maxSkew())) {
                return SKEWED;
            }
        }
        return Status.success();
    }

    /** Placing the pod in a domain holding {@code matching} pods keeps the skew over {@code minMatching} within {@code maxSkew}. */
    public static boolean skewAllows(int matching, int selfMatch, int minMatching, int maxSkew) {
        return matching + selfMatch - minMatching <= maxSkew;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes) {
        boolean declared = !pod.topologySpreadConstraints().isEmpty();
        List<TopologySpreadConstraint> soft = declared ? constraints(pod, false) : systemDefaultConstraints(pod);
        if (soft.isEmpty()) {
            state.skipScore(NAME);
            return Status.success();
        }
        // declared constraints ignore nodes lacking any key; the system defaults only skip the missing key
        SpreadCounts counts = new SpreadCounts(state.snapshot(), pod, soft, declared);
        state.write(SCORE_STATE, ScoreState.of(counts, normalizingWeights(counts, feasibleNodes)));
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState scoreState = state.read(SCORE_STATE);
        int nodeIndex = node.index();
        if (scoreState.requireAllKeys() && !scoreState.hasAllKeys(nodeIndex)) {
            return IGNORED_NODE;
        }
        int[][] domainOfNode = scoreState.domainOfNode();
        double score = 0;
        for (int i = 0; i < domainOfNode.length; i++) {
            int domain = domainOfNode[i][nodeIndex];
            if (domain >= 0) {
                score += scoreForCount(scoreState.countsByDomain()[i][domain], scoreState.maxSkew()[i], scoreState.normalizingWeight()[i]);
            }
        }
        return Math.round(score);
    }

    /** kube-scheduler's raw score of one constraint: more matching pods is worse; {@code maxSkew − 1} dampens small differences. */
    public static double scoreForCount(long matching, int maxSkew, double normalizingWeight) {
        return matching * normalizingWeight + (maxSkew - 1);
    }

    /** {@code ln(domains + 2)}: a constraint over many domains (hostname) weighs more than one over few (zone). */
    public static double topologyNormalizingWeight(int domains) {
        return Math.log(domains + 2);
    }

    @Override
    public Optional<ScoreExtensions> scoreExtensions() {
        return Optional.of(this);
    }

    /** Fewest matching pods becomes 100: {@code 100 × (max + min − score) / max}; ignored nodes get 0. */
    @Override
    public Status normalizeScore(CycleState state, PodInfo pod, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long score : scores) {
            if (score != IGNORED_NODE) {
                min = Math.min(min, score);
                max = Math.max(max, score);
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == IGNORED_NODE) {
                scores[i] = 0;
            } else {
                scores[i] = max == 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
        return Status.success();
    }

    /**
     * kube-scheduler's system default constraints, selecting pods with this pod's labels minus per-pod
     * identity labels (which stand in for the owning ReplicaSet's or StatefulSet's selector). A pod without
     * labels gets none.
     */
    static List<TopologySpreadConstraint> systemDefaultConstraints(PodInfo pod) {
        Map<String, String> labels = pod.labels();
        for (String identity : POD_IDENTITY_LABELS) {
            if (labels.containsKey(identity)) {
                Map<String, String> template = new HashMap<>(labels);
                template.keySet().removeAll(POD_IDENTITY_LABELS);
                labels = template;
                break;
            }
        }
        if (labels.isEmpty()) {
            return List.of();
        }
        LabelSelector selector = LabelSelector.matchLabels(labels);
        return List.of(
                new TopologySpreadConstraint(3, NodeInfo.LABEL_HOSTNAME, WhenUnsatisfiable.SCHEDULE_ANYWAY, selector),
                new TopologySpreadConstraint(5, NodeInfo.LABEL_ZONE, WhenUnsatisfiable.SCHEDULE_ANYWAY, selector));
    }

    /** The pod's DoNotSchedule ({@code hard}) or ScheduleAnyway constraints. */
    private static List<TopologySpreadConstraint> constraints(PodInfo pod, boolean hard) {
        List<TopologySpreadConstraint> declared = pod.topologySpreadConstraints();
        if (declared.isEmpty()) {
            return List.of();
        }
        List<TopologySpreadConstraint> selected = new ArrayList<>(declared.size());
        for (TopologySpreadConstraint constraint : declared) {
            if (constraint.isHard() == hard) {
                selected.add(constraint);
            }
        }
        return selected;
    }

    /** Weight per constraint from the number of domains among the scored nodes (for hostname: the number of scored nodes). */
    private static double[] normalizingWeights(SpreadCounts counts, List<NodeInfo> feasibleNodes) {
        int scored = feasibleNodes.size();
        if (counts.requireAllKeys) {
            scored = 0;
            for (int n = 0; n < feasibleNodes.size(); n++) {
                scored += counts.hasAllKeys(feasibleNodes.get(n).index()) ? 1 : 0;
            }
        }
        double[] weights = new double[counts.constraints.size()];
        for (int i = 0; i < weights.length; i++) {
            int domains = scored;
            if (!NodeInfo.LABEL_HOSTNAME.equals(counts.constraints.get(i).topologyKey())) {
                int[] domainOfNode = counts.domains[i].domainOfNodes();
                boolean[] seen = new boolean[counts.domains[i].domainCount()];
                domains = 0;
                // a few zones are usually all seen within the first nodes
                for (int n = 0; n < feasibleNodes.size() && domains < seen.length; n++) {
                    int nodeIndex = feasibleNodes.get(n).index();
                    int domain = domainOfNode[nodeIndex];
                    if (domain >= 0 && !seen[domain] && (!counts.requireAllKeys || counts.hasAllKeys(nodeIndex))) {
                        seen[domain] = true;
                        domains++;
                    }
                }
            }
            weights[i] = topologyNormalizingWeight(domains);
        }
        return weights;
    }
}
