package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canary strategy, declared with annotations so the manifest stays a valid Kubernetes Deployment (as Argo
 * Rollouts and Flagger declare theirs elsewhere): a new revision first gets a few replicas and a share of the
 * Service's traffic, step by step; after each step an analysis of the canary's error ratio and p99 latency decides
 * promote or abort. Once every step passed, the rest of the rollout is an ordinary RollingUpdate.
 *
 * <pre>
 * berth.dev/canary-steps: "10,50"               traffic % of each step (enables the strategy)
 * berth.dev/canary-step-seconds: "30"           how long each step runs before its analysis (default 30)
 * berth.dev/canary-max-error-ratio: "0.01"      5xx and broken responses / all, above which it aborts (default 0.01)
 * berth.dev/canary-max-p99-seconds: "0.5"       p99 latency above which it aborts (default 0.5)
 * berth.dev/canary-min-requests: "20"           fewer requests in a step: no verdict yet, the step goes on (default 20)
 * </pre>
 *
 * The step under way is kept on the new ReplicaSet (so a restarted core goes on where it was). Pure.
 */
public final class Canary {

    public static final String STEPS = "berth.dev/canary-steps";
    public static final String STEP_SECONDS = "berth.dev/canary-step-seconds";
    public static final String MAX_ERROR_RATIO = "berth.dev/canary-max-error-ratio";
    public static final String MAX_P99_SECONDS = "berth.dev/canary-max-p99-seconds";
    public static final String MIN_REQUESTS = "berth.dev/canary-min-requests";

    /** On the canary ReplicaSet: the step's index, its traffic weight, since when, and whether all steps passed. */
    public static final String STEP = "berth.dev/canary-step";
    public static final String WEIGHT = "berth.dev/canary-weight";
    public static final String SINCE = "berth.dev/canary-step-since";
    public static final String PROMOTED = "berth.dev/canary-promoted";

    private Canary() {}

    public record Settings(List<Integer> steps, Duration stepDuration, double maxErrorRatio, double maxP99Seconds, long minRequests) {}

    /** Where the canary is: step {@code step}, with {@code weight} % of traffic since {@code since} (null: not yet routed). */
    public record State(int step, Integer weight, Instant since, boolean promoted) {

        static final State START = new State(0, null, null, false);

        Map<String, String> annotations() {
            Map<String, String> a = new LinkedHashMap<>();
            a.put(STEP, Integer.toString(step));
            if (weight != null) {
                a.put(WEIGHT, Integer.toString(weight));
            }
            if (since != null) {
                a.put(SINCE, since.toString());
            }
            if (promoted) {
                a.put(PROMOTED, "true");
            }
            return a;
        }
    }

    /** The analysis's answer for one step. */
    public record Verdict(Outcome outcome, String detail) {
        public enum Outcome { PASS, FAIL, INCONCLUSIVE }
    }

    /** Whether the Deployment declares a canary, and its settings. */
    public static Optional<Settings> settings(Deployment d) {
        Map<String, String> a = d.getMetadata().getAnnotations();
        if (a == null || a.get(STEPS) == null) {
            return Optional.empty();
        }
        return Optional.of(new Settings(parseSteps(a.get(STEPS)),
                Duration.ofSeconds((long) number(a, STEP_SECONDS, 30)),
                number(a, MAX_ERROR_RATIO, 0.01), number(a, MAX_P99_SECONDS, 0.5), (long) number(a, MIN_REQUESTS, 20)));
    }

    /**
     * Checks the annotations of a Deployment; each problem as {@code annotation → message}.
     */
    public static Map<String, String> problems(Map<String, String> annotations) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (annotations == null || annotations.get(STEPS) == null) {
            return problems;
        }
        try {
            parseSteps(annotations.get(STEPS));
        } catch (IllegalArgumentException e) {
            problems.put(STEPS, e.getMessage());
        }
        for (String key : List.of(STEP_SECONDS, MAX_ERROR_RATIO, MAX_P99_SECONDS, MIN_REQUESTS)) {
            String v = annotations.get(key);
            if (v != null) {
                try {
                    if (Double.parseDouble(v.trim()) < 0) {
                        problems.put(key, "must not be negative");
                    }
                } catch (NumberFormatException e) {
                    problems.put(key, "must be a number, was \"" + v + "\"");
                }
            }
        }
        return problems;
    }

    static List<Integer> parseSteps(String value) {
        List<Integer> steps = new ArrayList<>();
        int previous = 0;
        for (String part : value.split(",")) {
            int w;
            try {
                w = Integer.parseInt(part.trim().replace("%", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be traffic percentages like \"10,50\", was \"" + value + "\"");
            }
            if (w <= previous || w >= 100) {
                throw new IllegalArgumentException("steps must rise strictly between 1 and 99 (100% is the promotion), was \"" + value + "\"");
            }
            steps.add(w);
            previous = w;
        }
        return List.copyOf(steps);
    }

    private static double number(Map<String, String> a, String key, double fallback) {
        try {
            return a.get(key) == null ? fallback : Double.parseDouble(a.get(key).trim());
        } catch (NumberFormatException e) {
            return fallback; // refused on apply; a stored object that slipped through keeps the default
        }
    }

    public static State state(ReplicaSet rs) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        if (a == null || a.get(STEP) == null) {
            return State.START;
        }
        return new State(Integer.parseInt(a.get(STEP)), a.get(WEIGHT) == null ? null : Integer.valueOf(a.get(WEIGHT)),
                a.get(SINCE) == null ? null : Instant.parse(a.get(SINCE)), "true".equals(a.get(PROMOTED)));
    }

    /** Replicas the canary runs with at a weight: its share of desired, at least one. */
    static int replicas(int desired, int weight) {
        return Math.max(1, (int) Math.ceil(desired * weight / 100.0));
    }

    /** Whether the step's time is up, so an analysis is wanted. */
    public static boolean analysisDue(Settings s, ReplicaSet canary, Instant now) {
        State state = state(canary);
        return !state.promoted() && state.since() != null && !state.since().plus(s.stepDuration()).isAfter(now);
    }

    /** The traffic weight the Service proxy must give this ReplicaSet's pods, if it is a canary being routed. */
    public static Optional<Integer> routedWeight(ReplicaSet rs) {
        State state = state(rs);
        return state.promoted() || state.weight() == null ? Optional.empty() : Optional.of(state.weight());
    }
}
