package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.Plugin;
import dev.berth.platform.scheduler.framework.PluginRegistry;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.PreScorePlugin;
import dev.berth.platform.scheduler.framework.ScoreExtensions;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.plugins.InTreePlugins;
import dev.berth.platform.scheduler.snapshot.ClusterSnapshot;
import dev.berth.platform.scheduler.snapshot.NodeSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places one pod at a time: the whole placement pipeline, wired here and only here (like Nomad's
 * {@code stack.go}). It reads a {@link ClusterSnapshot} and returns a {@link PlacementDecision}; it
 * changes nothing — the caller applies the decision and then calls {@code snapshot.assume}.
 *
 * <p>Thread-safe: it holds only the profile's plugins (configuration) and the node source. A snapshot,
 * however, must not be scheduled against while it is being mutated.
 */
public final class Scheduler {

    private final SchedulerProfile profile;
    private final NodeSource nodeSource;
    private final PreFilterPlugin[] preFilters;
    private final FilterPlugin[] filters;
    private final PreScorePlugin[] preScores;
    private final ScorePlugin[] scores;
    private final ScoreExtensions[] normalizers;
    private final long[] weights;

    private Scheduler(SchedulerProfile profile, PluginRegistry registry, NodeSource nodeSource) {
        this.profile = profile;
        this.nodeSource = nodeSource;
        Map<String, Plugin> instances = new LinkedHashMap<>();
        filters = profile.filters().stream().map(name -> as(FilterPlugin.class, instance(instances, registry, name)))
                .toArray(FilterPlugin[]::new);
        preFilters = Arrays.stream(filters).filter(PreFilterPlugin.class::isInstance).map(PreFilterPlugin.class::cast)
                .toArray(PreFilterPlugin[]::new);
        scores = profile.scores().stream().map(s -> as(ScorePlugin.class, instance(instances, registry, s.plugin())))
                .toArray(ScorePlugin[]::new);
        preScores = Arrays.stream(scores).filter(PreScorePlugin.class::isInstance).map(PreScorePlugin.class::cast)
                .toArray(PreScorePlugin[]::new);
        normalizers = Arrays.stream(scores).map(s -> s.scoreExtensions().orElse(null)).toArray(ScoreExtensions[]::new);
        weights = profile.scores().stream().mapToLong(SchedulerProfile.WeightedScore::weight).toArray();
    }

    /**
     * @throws IllegalArgumentException if the profile names an unregistered plugin, or one without the role it is enabled for
     */
    public static Scheduler create(SchedulerProfile profile, PluginRegistry registry, NodeSource nodeSource) {
        return new Scheduler(profile, registry, nodeSource);
    }

    /** The default profile and in-tree plugins, nodes visited in a shuffle seeded by {@code seed}. */
    public static Scheduler withDefaults(long seed) {
        return create(SchedulerProfile.defaultProfile(), InTreePlugins.registry(), NodeSource.shuffled(seed));
    }

    public SchedulerProfile profile() {
        return profile;
    }

    /**
     * Decides where {@code pod} runs. Deterministic: the same snapshot, pod and node source give the same
     * decision.
     *
     * @throws IllegalArgumentException if the pod is already bound to a node
     */
    public PlacementDecision schedule(ClusterSnapshot snapshot, PodInfo pod) {
        if (pod.isBound()) {
            throw new IllegalArgumentException("pod " + pod.key() + " is already bound to " + pod.nodeName());
        }
        int allNodes = snapshot.nodeCount();
        CycleState state = new CycleState(snapshot);

        // 1. Pre-filter: per-pod work done once (requests, spread counts, nodes admitted by tolerations and
        //    selectors); plugins with nothing to check opt out, plugins whose verdict is a node set narrow the cycle.
        for (PreFilterPlugin plugin : preFilters) {
            Status status = plugin.preFilter(state, pod);
            if (status.code() == Status.Code.ERROR) {
                return new PlacementDecision.Failed(pod, status);
            }
            if (!status.isSuccess()) {
                return new PlacementDecision.Unschedulable(pod, Diagnosis.rejectedByPreFilter(allNodes, status));
            }
        }
        NodeSet candidates = state.candidateNodes();
        FilterPlugin[] perNodeFilters = enabledFilters(state, false);

        // 2. Node source: a seeded shuffle entered at a per-pod offset, so in large clusters successive pods look at different nodes first.
        NodeOrder order = nodeSource.order(pod, allNodes);

        // 3. Filter, cheapest first: non-candidates are passed over without being read, the rest run the remaining
        //    filters until one rejects; stop once enough feasible nodes are found (FeasibleNodeLimit).
        int wanted = FeasibleNodeLimit.numFeasibleNodesToFind(allNodes, profile.percentageOfNodesToScore());
        NodeInfo[] feasible = new NodeInfo[Math.max(wanted, 1)];
        int found = 0;
        int evaluated = 0;
        while (evaluated < allNodes && found < wanted) {
            int index = order.nodeAt(evaluated++);
            if (candidates != null && !candidates.contains(index)) {
                continue;
            }
            NodeInfo node = snapshot.node(index);
            Status verdict = runFilters(perNodeFilters, state, pod, node);
            if (verdict.isSuccess()) {
                feasible[found++] = node;
            } else if (verdict.code() == Status.Code.ERROR) {
                return new PlacementDecision.Failed(pod, verdict);
            }
        }
        if (found == 0) {
            return explainUnschedulable(state, pod, snapshot);
        }
        if (found == 1) {
            // nothing to compare: skip scoring, as kube-scheduler does
            return new PlacementDecision.Placed(pod, feasible[0].name(), 0, 1, evaluated);
        }

        // 4. Pre-score, score, normalise to 0..100, weight and sum per node.
        long[] totals = new long[found];
        Status scoring = scoreNodes(state, pod, feasible, found, totals);
        if (!scoring.isSuccess()) {
            return new PlacementDecision.Failed(pod, scoring);
        }

        // 5. Max score; a tie goes to the smallest node name so the result never depends on visiting order.
        int best = 0;
        for (int n = 1; n < found; n++) {
            if (totals[n] > totals[best]
                    || (totals[n] == totals[best] && snapshot.nameRank(feasible[n].index()) < snapshot.nameRank(feasible[best].index()))) {
                best = n;
            }
        }
        return new PlacementDecision.Placed(pod, feasible[best].name(), totals[best], found, evaluated);
    }

    /**
     * Nothing fits: every node goes through every enabled filter in profile order, so each reports the
     * first reason it fails, exactly as without candidate narrowing. Costs a full pass, only on this path.
     */
    private PlacementDecision explainUnschedulable(CycleState state, PodInfo pod, ClusterSnapshot snapshot) {
        FilterPlugin[] allFilters = enabledFilters(state, true);
        List<Status> rejections = new ArrayList<>(snapshot.nodeCount());
        for (int i = 0; i < snapshot.nodeCount(); i++) {
            Status verdict = runFilters(allFilters, state, pod, snapshot.node(i));
            if (verdict.code() == Status.Code.ERROR) {
                return new PlacementDecision.Failed(pod, verdict);
            }
            if (!verdict.isSuccess()) {
                rejections.add(verdict);
            }
        }
        return new PlacementDecision.Unschedulable(pod, Diagnosis.of(snapshot.nodeCount(), rejections));
    }

    /** The filters this cycle calls per node: not skipped, and (unless {@code includeRestricting}) not answered by the candidate set. */
    private FilterPlugin[] enabledFilters(CycleState state, boolean includeRestricting) {
        FilterPlugin[] enabled = new FilterPlugin[filters.length];
        int count = 0;
        for (FilterPlugin filter : filters) {
            if (!state.filterSkipped(filter.name()) && (includeRestricting || !state.restrictsNodes(filter.name()))) {
                enabled[count++] = filter;
            }
        }
        return count == enabled.length ? enabled : Arrays.copyOf(enabled, count);
    }

    private static Status runFilters(FilterPlugin[] activeFilters, CycleState state, PodInfo pod, NodeInfo node) {
        for (FilterPlugin filter : activeFilters) {
            Status status = filter.filter(state, pod, node);
            if (!status.isSuccess()) {
                return status;
            }
        }
        return Status.success();
    }

    private Status scoreNodes(CycleState state, PodInfo pod, NodeInfo[] feasible, int found, long[] totals) {
        List<NodeInfo> feasibleNodes = Arrays.asList(feasible).subList(0, found);
        for (PreScorePlugin plugin : preScores) {
            Status status = plugin.preScore(state, pod, feasibleNodes);
            if (!status.isSuccess()) {
                return status;
            }
        }
        int[] active = new int[scores.length];
        int activeCount = 0;
        for (int s = 0; s < scores.length; s++) {
            if (!state.scoreSkipped(scores[s].name())) {
                active[activeCount++] = s;
            }
        }
        // node by node rather than plugin by plugin: each node is read from memory once for all plugins
        long[][] raw = new long[activeCount][found];
        for (int n = 0; n < found; n++) {
            NodeInfo node = feasible[n];
            for (int a = 0; a < activeCount; a++) {
                raw[a][n] = scores[active[a]].score(state, pod, node);
            }
        }
        for (int a = 0; a < activeCount; a++) {
            int s = active[a];
            if (normalizers[s] != null) {
                Status status = normalizers[s].normalizeScore(state, pod, raw[a]);
                if (!status.isSuccess()) {
                    return status;
                }
            }
            for (int n = 0; n < found; n++) {
                long score = raw[a][n];
                if (score < 0 || score > ScorePlugin.MAX_NODE_SCORE) {
                    return Status.error(scores[s].name(), "score " + score + " for node " + feasible[n].name() + " is outside 0.."
                            + ScorePlugin.MAX_NODE_SCORE);
                }
                totals[n] += score * weights[s];
            }
        }
        return Status.success();
    }

    private static Plugin instance(Map<String, Plugin> instances, PluginRegistry registry, String name) {
        return instances.computeIfAbsent(name, registry::create);
    }

    private static <T extends Plugin> T as(Class<T> role, Plugin plugin) {
        if (!role.isInstance(plugin)) {
            throw new IllegalArgumentException("plugin " + plugin.name() + " is not a " + role.getSimpleName());
        }
        return role.cast(plugin);
    }
}
