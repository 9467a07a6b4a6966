package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.model.PodStatuses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HPA's replica calculation against kube-controller-manager's own table,
 * {@code pkg/controller/podautoscaler/replica_calculator_test.go}: each row is the upstream case of its name, set up
 * as upstream's fake clients set it up (pod {@code test-pod-i} gets request {@code i} and sample {@code i}; two
 * containers each, so a pod's request and use are twice the per-container numbers written here; Ready, Running,
 * started and last transitioned at the zero time, sampled at the zero time over a minute, unless the row says
 * otherwise; "hot" pods started now, "cool" ones 3 minutes ago; tolerance 0.1, cpu initialisation 2 minutes,
 * readiness delay 10 s).
 *
 * <p>Not transcribed, because Berth measures only cpu utilisation and the {@code requests_per_second} pods
 * metric: the Object, ObjectPerPod, External and ExternalPerPod metric cases (TestReplicaCalcScaleUpCMObject,
 * ...CMPerPodObject, ...CMObjectIgnoresUnreadyPods, ...CMExternalIgnoresUnreadyPods, ...PerPodCMExternal,
 * ScaleDownPerPodCMObject, ScaleDownCMObject, ScaleDownCMExternal, ScaleDownPerPodCMExternal, ToleranceCMObject,
 * TolerancePerPodCMObject, ToleranceCMExternal, TolerancePerPodCMExternal).
 */
class MetricReplicasTest {

    static final Instant ZERO = Instant.EPOCH;
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final MetricReplicas.Timing TIMING = new MetricReplicas.Timing(0.1, Duration.ofMinutes(2), Duration.ofSeconds(10), NOW);
    static final int CONTAINERS = 2;

    // requests and levels in milli-cpu per container; ready T/F; phase R(unning)/P(ending)/F(ailed); D = being deleted
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # upstream case                           | cur | requests                                        | levels                                  | ready         | phase         | deleting      | start               | target | replicas | util | value
            TestReplicaCalcScaleUp                     | 3   | 1000 1000 1000                                  | 300 500 700                             | -             | -             | -             | -                   | 30     | 5        | 50   | 1000
            TestReplicaCalcScaleUpUnreadyLessScale     | 3   | 1000 1000 1000                                  | 300 500 700                             | F T T         | -             | -             | -                   | 30     | 4        | 60   | 1200
            TestReplicaCalcScaleUpHotCpuLessScale      | 3   | 1000 1000 1000                                  | 300 500 700                             | -             | -             | -             | hot cool cool       | 30     | 4        | 60   | 1200
            TestReplicaCalcScaleUpUnreadyNoScale       | 3   | 1000 1000 1000                                  | 400 500 700                             | T F F         | -             | -             | -                   | 30     | 3        | 40   | 800
            TestReplicaCalcScaleHotCpuNoScale          | 3   | 1000 1000 1000                                  | 400 500 700                             | T F F         | -             | -             | cool hot hot        | 30     | 3        | 40   | 800
            TestReplicaCalcScaleUpIgnoresFailedPods    | 2   | 1000 1000 1000 1000                             | 500 700                                 | T T F F       | R R F F       | -             | -                   | 30     | 4        | 60   | 1200
            TestReplicaCalcScaleUpIgnoresDeletionPods  | 2   | 1000 1000 1000 1000                             | 500 700                                 | T T F F       | R R R R       | . . D D       | -                   | 30     | 4        | 60   | 1200
            TestReplicaCalcScaleDown                   | 5   | 1000 1000 1000 1000 1000                        | 100 300 500 250 250                     | -             | -             | -             | -                   | 50     | 3        | 28   | 560
            TestReplicaCalcScaleDownIncludeUnreadyPods | 5   | 1000 1000 1000 1000 1000                        | 100 300 500 250 250                     | T T T F F     | -             | -             | -                   | 50     | 2        | 30   | 600
            TestReplicaCalcScaleDownExcludeUnscheduledPods | 5 | 1000 1000 1000 1000 1000                      | 100                                     | T F F F F     | R P P P P     | -             | -                   | 50     | 1        | 10   | 200
            TestReplicaCalcScaleDownIgnoreHotCpuPods   | 5   | 1000 1000 1000 1000 1000                        | 100 300 500 250 250                     | -             | -             | -             | cool cool cool hot hot | 50  | 2        | 30   | 600
            TestReplicaCalcScaleDownIgnoresFailedPods  | 5   | 1000 1000 1000 1000 1000 1000 1000              | 100 300 500 250 250                     | T T T T T F F | R R R R R F F | -             | -                   | 50     | 3        | 28   | 560
            TestReplicaCalcScaleDownIgnoresDeletionPods | 5  | 1000 1000 1000 1000 1000 1000 1000              | 100 300 500 250 250                     | T T T T T F F | R R R R R R R | . . . . . D D | -                   | 50     | 3        | 28   | 560
            TestReplicaCalcTolerance                   | 3   | 900 1000 1100                                   | 1010 1030 1020                          | -             | -             | -             | -                   | 100    | 3        | 102  | 2040
            TestReplicaCalcSuperfluousMetrics          | 4   | 1000 1000 1000 1000                             | 4000 9500 3000 7000 3200 2000           | -             | -             | -             | -                   | 100    | 24       | 587  | 11750
            TestReplicaCalcMissingMetrics              | 4   | 1000 1000 1000 1000                             | 400 95                                  | -             | -             | -             | -                   | 100    | 3        | 24   | 495
            TestReplicaCalcMissingMetricsNoChangeEq    | 2   | 1000 1000                                       | 1000                                    | -             | -             | -             | -                   | 100    | 2        | 100  | 2000
            TestReplicaCalcMissingMetricsNoChangeGt    | 2   | 1000 1000                                       | 1900                                    | -             | -             | -             | -                   | 100    | 2        | 190  | 3800
            TestReplicaCalcMissingMetricsNoChangeLt    | 2   | 1000 1000                                       | 600                                     | -             | -             | -             | -                   | 100    | 2        | 60   | 1200
            TestReplicaCalcMissingMetricsUnreadyChange | 3   | 1000 1000 1000                                  | 100 450                                 | F T T         | -             | -             | -                   | 50     | 3        | 45   | 900
            TestReplicaCalcMissingMetricsHotCpuNoChange | 3  | 1000 1000 1000                                  | 100 450                                 | -             | -             | -             | hot cool cool       | 50     | 3        | 45   | 900
            TestReplicaCalcMissingMetricsUnreadyScaleUp | 3  | 1000 1000 1000                                  | 100 2000                                | F T T         | -             | -             | -                   | 50     | 4        | 200  | 4000
            TestReplicaCalcMissingMetricsHotCpuScaleUp | 3   | 1000 1000 1000                                  | 100 2000                                | F T T         | -             | -             | hot cool cool       | 50     | 4        | 200  | 4000
            TestReplicaCalcMissingMetricsUnreadyScaleDown | 4 | 1000 1000 1000 1000                            | 100 100 100                             | F T T T       | -             | -             | -                   | 50     | 3        | 10   | 200
            TestReplicaCalcDuringRollingUpdateWithMaxSurge | 2 | 1000 1000 1000                                | 100 100                                 | -             | R R R         | -             | -                   | 50     | 2        | 10   | 200
            TestReplicaCalcComputedToleranceAlgImplementation (56 %) | 10 | 400 200 310 290 302 298 301 299 300 300 | 150 150 150 150 150 150 150 150 150 150 | - | -       | -             | -                   | 56     | 9        | 50   | 300
            TestReplicaCalcComputedToleranceAlgImplementation (55 %) | 10 | 400 200 310 290 302 298 301 299 300 300 | 150 150 150 150 150 150 150 150 150 150 | - | -       | -             | -                   | 55     | 10       | 50   | 300
            """)
    void resourceReplicasAsKubernetesComputesThem(String upstreamCase, int current, String requests, String levels, String ready, String phase,
            String deleting, String start, int target, int replicas, long utilization, long value) {
        List<MetricReplicas.PodState> pods = pods(current, requests, ready, phase, deleting, start);

        MetricReplicas.Recommendation r = MetricReplicas.forResource(current, target, true, pods, samples(levels), TIMING);

        assertThat(r).isEqualTo(new MetricReplicas.Recommendation(replicas, utilization, value));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # upstream case                    | cur | requests       | levels                  | message
            TestReplicaCalcDisjointResourcesMetrics | 1 | 1000        | an-older-pod-name=100   | no metrics returned matched known pods
            TestReplicaCalcEmptyMetrics        | 4   | 1000 1000 1000 | -                       | no metrics returned from resource metrics API
            TestReplicaCalcEmptyCPURequest     | 1   | -              | 200                     | missing request for
            """)
    void resourceMetricsThatCannotDriveScaling(String upstreamCase, int current, String requests, String levels, String message) {
        List<MetricReplicas.PodState> pods = pods(current, requests, null, null, null, null);

        assertThatThrownBy(() -> MetricReplicas.forResource(current, 100, true, pods, samples(levels), TIMING))
                .isInstanceOf(MetricReplicas.Unmeasurable.class).hasMessageContaining(message);
    }

    // pods metrics are averaged per pod with no request and readiness does not set pods aside (upstream's podMetric type)
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # upstream case                                     | cur | levels                        | ready | start         | target | replicas | value
            TestReplicaCalcScaleUpCM                            | 3   | 20000 10000 30000             | -     | -             | 15000  | 4        | 20000
            TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale    | 3   | 50000 10000 30000             | T T F | cool cool hot | 15000  | 6        | 30000
            TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown | 3 | 50000 15000 30000        | F T F | hot cool hot  | 15000  | 7        | 31666
            TestReplicaCalcScaleUpCMExternal                    | 1   | 8600                          | -     | -             | 4400   | 2        | 8600
            TestReplicaCalcScaleUpCMExternalNoLabels            | 1   | 8600                          | -     | -             | 4400   | 2        | 8600
            TestReplicaCalcScaleDownCM                          | 5   | 12000 12000 12000 12000 12000 | -     | -             | 20000  | 3        | 12000
            TestReplicaCalcToleranceCM                          | 3   | 20000 21000 21000             | -     | -             | 20000  | 3        | 20666
            """)
    void podsMetricReplicasAsKubernetesComputesThem(String upstreamCase, int current, String levels, String ready, String start, long target,
            int replicas, long value) {
        List<MetricReplicas.PodState> pods = pods(current, null, ready, null, null, start);
        Map<String, Long> byPod = new HashMap<>();
        String[] l = levels.split(" ");
        for (int i = 0; i < l.length; i++) {
            byPod.put("test-pod-" + i, Long.parseLong(l[i])); // custom metrics are per pod, not per container
        }

        MetricReplicas.Recommendation r = MetricReplicas.forPodsMetric(current, target, pods,
                new MetricReplicas.Samples(byPod, ZERO, Duration.ofMinutes(1)), TIMING);

        assertThat(r).isEqualTo(new MetricReplicas.Recommendation(replicas, value, value));
    }

    /** As upstream's fake pod lister: max(current, phases) pods; a pod past the request list has no request. */
    static List<MetricReplicas.PodState> pods(int current, String requests, String ready, String phase, String deleting, String start) {
        String[] phases = words(phase);
        int count = Math.max(current, phases.length);
        String[] req = words(requests);
        String[] rdy = words(ready);
        String[] del = words(deleting);
        String[] st = words(start);
        List<MetricReplicas.PodState> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean isReady = i >= rdy.length || rdy[i].equals("T");
            Instant started = i >= st.length ? ZERO : st[i].equals("hot") ? NOW : NOW.minus(Duration.ofMinutes(3));
            String p = i >= phases.length ? PodStatuses.RUNNING
                    : switch (phases[i]) {
                        case "P" -> PodStatuses.PENDING;
                        case "F" -> PodStatuses.FAILED;
                        default -> PodStatuses.RUNNING;
                    };
            Long request = i < req.length ? CONTAINERS * Long.parseLong(req[i]) : null;
            pods.add(new MetricReplicas.PodState("test-pod-" + i, p, i < del.length && del[i].equals("D"),
                    new MetricReplicas.ReadyCondition(isReady, ZERO), started, request));
        }
        return pods;
    }

    /** Per-container levels of pods test-pod-0, 1, ... (or {@code name=level}), summed over the pod's containers. */
    static MetricReplicas.Samples samples(String levels) {
        Map<String, Long> byPod = new HashMap<>();
        String[] l = words(levels);
        for (int i = 0; i < l.length; i++) {
            String[] named = l[i].split("=");
            String pod = named.length == 2 ? named[0] : "test-pod-" + i;
            byPod.put(pod, CONTAINERS * Long.parseLong(named[named.length - 1]));
        }
        return new MetricReplicas.Samples(byPod, ZERO, Duration.ofMinutes(1));
    }

    private static String[] words(String s) {
        return s == null || s.isBlank() ? new String[0] : s.trim().split("\\s+");
    }
}
