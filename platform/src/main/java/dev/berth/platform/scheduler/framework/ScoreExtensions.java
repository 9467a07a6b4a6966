package dev.berth.platform.scheduler.framework;

import dev.berth.platform.scheduler.model.PodInfo;

/** Post-processing of one plugin's raw scores. */
public interface ScoreExtensions {

    /** Rewrites {@code scores} (one per feasible node, in the cycle's node order) in place into {@code 0..100}. */
    Status normalizeScore(CycleState state, PodInfo pod, long[] scores);

    /**
     * kube-scheduler's {@code DefaultNormalizeScore}: scales scores so the highest becomes 100; with
     * {@code reverse} the highest raw score becomes 0 instead (for "fewer is better" counts). All zeros
     * become 0, or 100 when reversed.
     */
    static void scaleToMax(long[] scores, boolean reverse) {
        long max = 0;
        for (long score : scores) {
            max = Math.max(max, score);
        }
        for (int i = 0; i < scores.length; i++) {
            long scaled = max == 0 ? 0 : ScorePlugin.MAX_NODE_SCORE * scores[i] / max;
            scores[i] = reverse ? ScorePlugin.MAX_NODE_SCORE - scaled : scaled;
        }
    }
}
