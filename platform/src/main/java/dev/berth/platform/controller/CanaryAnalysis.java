package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;

/**
 * Judges one canary step: the canary revision's error ratio and p99 latency against the Deployment's thresholds
 * ({@link Canary.Settings}), over the step ({@code since} → {@code now}). Implementations query Prometheus, or fall
 * back to the Service proxy's own counters; the verdict's detail says which, with the numbers.
 */
@FunctionalInterface
public interface CanaryAnalysis {

    Canary.Verdict analyse(Deployment d, ReplicaSet canary, Canary.Settings settings, Instant since, Instant now);

    /** Pure: the verdict on measured values (p99 null when the source has none). */
    static Canary.Verdict judge(String source, long requests, long errors, Double p99Seconds, Canary.Settings s) {
        if (requests < s.minRequests()) {
            return new Canary.Verdict(Canary.Verdict.Outcome.INCONCLUSIVE, source + ": " + requests + " requests to the canary, "
                    + s.minRequests() + " needed for a verdict");
        }
        double ratio = (double) errors / requests;
        String numbers = source + ": error ratio " + String.format(java.util.Locale.ROOT, "%.4f", ratio) + " (" + errors + "/" + requests
                + ", limit " + s.maxErrorRatio() + "), p99 " + (p99Seconds == null ? "not measured" : String.format(java.util.Locale.ROOT, "%.3fs", p99Seconds)
                + " (limit " + s.maxP99Seconds() + "s)");
        boolean failed = ratio > s.maxErrorRatio() || (p99Seconds != null && !p99Seconds.isNaN() && p99Seconds > s.maxP99Seconds());
        return new Canary.Verdict(failed ? Canary.Verdict.Outcome.FAIL : Canary.Verdict.Outcome.PASS, numbers);
    }
}
