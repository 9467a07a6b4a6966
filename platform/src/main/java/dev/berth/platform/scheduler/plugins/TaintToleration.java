package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.framework.CycleState;
import dev.berth.platform.scheduler.framework.FilterPlugin;
import dev.berth.platform.scheduler.framework.PreFilterPlugin;
import dev.berth.platform.scheduler.framework.ScoreExtensions;
import dev.berth.platform.scheduler.framework.ScorePlugin;
import dev.berth.platform.scheduler.framework.Status;
import dev.berth.platform.scheduler.model.NodeInfo;
import dev.berth.platform.scheduler.model.PodInfo;
import dev.berth.platform.scheduler.model.Taint;
import dev.berth.platform.scheduler.model.TaintEffect;
import dev.berth.platform.scheduler.model.Toleration;

import java.util.List;
import java.util.Optional;

/**
 * Filter: a node's NoSchedule and NoExecute taints must all be tolerated; the tolerated nodes depend on
 * the pod's tolerations only, so pre-filter narrows the cycle to them (cached per tolerations). Score:
 * fewer untolerated PreferNoSchedule taints is better (normalised so the node with most gets 0).
 */
public final class TaintToleration implements PreFilterPlugin, FilterPlugin, ScorePlugin, ScoreExtensions {

    public static final String NAME = "TaintToleration";

    private record ToleratedNodes(List<Toleration> tolerations) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        List<Toleration> tolerations = pod.tolerations();
        state.restrictNodes(NAME, state.snapshot().nodeDerived(new ToleratedNodes(tolerations),
                snapshot -> snapshot.nodesWhere(node -> firstUntoleratedTaint(node.taints(), tolerations) == null)));
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Taint untolerated = firstUntoleratedTaint(node.taints(), pod.tolerations());
        return untolerated == null ? Status.success() : Status.unresolvable(NAME, reason(untolerated));
    }

    /** kube-scheduler's reason text, e.g. {@code node(s) had untolerated taint {dedicated: infra}}. */
    public static String reason(Taint taint) {
        return "node(s) had untolerated taint {" + taint.key() + ": " + taint.value() + "}";
    }

    /** The first NoSchedule/NoExecute taint none of {@code tolerations} tolerates, or {@code null}. */
    public static Taint firstUntoleratedTaint(List<Taint> taints, List<Toleration> tolerations) {
        for (int i = 0; i < taints.size(); i++) {
            Taint taint = taints.get(i);
            if (taint.effect() != TaintEffect.PREFER_NO_SCHEDULE && !Toleration.anyTolerates(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        return intolerablePreferNoScheduleTaints(node.taints(), pod.tolerations());
    }

    /**
     * PreferNoSchedule taints not tolerated by a toleration whose effect is PreferNoSchedule or empty
     * (tolerations for other effects do not count here, as in kube-scheduler).
     */
    public static int intolerablePreferNoScheduleTaints(List<Taint> taints, List<Toleration> tolerations) {
        int count = 0;
        for (int i = 0; i < taints.size(); i++) {
            Taint taint = taints.get(i);
            if (taint.effect() == TaintEffect.PREFER_NO_SCHEDULE && !toleratedForScoring(taint, tolerations)) {
                count++;
            }
        }
        return count;
    }

    private static boolean toleratedForScoring(Taint taint, List<Toleration> tolerations) {
        for (int i = 0; i < tolerations.size(); i++) {
            Toleration toleration = tolerations.get(i);
            if ((toleration.effect() == null || toleration.effect() == TaintEffect.PREFER_NO_SCHEDULE) && toleration.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<ScoreExtensions> scoreExtensions() {
        return Optional.of(this);
    }

    @Override
    public Status normalizeScore(CycleState state, PodInfo pod, long[] scores) {
        ScoreExtensions.scaleToMax(scores, true);
        return Status.success();
    }
}
