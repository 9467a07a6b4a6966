package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.controller.DeploymentPlanner.Action;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Deployment arithmetic against kube-controller-manager's own tables,
 * {@code pkg/controller/deployment/util/deployment_util_test.go}; each row names the upstream case.
 *
 * TestEqualIgnoreHash, TestFindNewReplicaSet and TestFindOldReplicaSets are {@link NewReplicaSetTest}'s.
 *
 * <p>Not transcribed, because Berth does not model what they test: TestMinAvailable (Berth has no
 * MinAvailable; the Available condition is desired − MaxUnavailable, as upstream's calculateStatus);
 * TestGetReplicaSetFraction and TestReplicasAnnotationsNeedUpdate (proportional scaling of a rollout through the
 * desired-replicas/max-replicas annotations); the terminating-replica counts of TestGetReplicaCountForReplicaSets
 * (the DeploymentReplicaSetTerminatingReplicas feature); TestGetNonNegativeInt32FromAnnotation,
 * TestGetDeploymentsForReplicaSet, the replicas annotations and IsSaturated of TestAnnotationUtils, TestGetCondition/TestSetCondition/TestRemoveCondition (fabric8's types and
 * {@link DeploymentConditions} cover those).
 */
class DeploymentUtilTest {

    static final Instant NOW = DeploymentPlannerTest.NOW;

    static Deployment recreate(Integer replicas) {
        Deployment d = DeploymentPlannerTest.deployment(1, null, null);
        d.getSpec().setReplicas(replicas);
        d.getSpec().getStrategy().setType("Recreate");
        d.getSpec().getStrategy().setRollingUpdate(null);
        return d;
    }

    // maxSurge 1 as upstream's; "Recreate" rows have no replicas, as upstream's
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            maxUnavailable less than replicas                  | 10 | 5    | 5
            maxUnavailable equal replicas                      | 10 | 10   | 10
            maxUnavailable greater than replicas               | 5  | 10   | 5
            maxUnavailable with replicas is 0                  | 0  | 10   | 0
            maxUnavailable with Recreate deployment strategy   | -  | -    | 0
            maxUnavailable less than replicas with percents    | 10 | 50%  | 5
            maxUnavailable equal replicas with percents        | 10 | 100% | 10
            maxUnavailable greater than replicas with percents | 5  | 100% | 5
            """)
    void testMaxUnavailable(String upstreamCase, Integer replicas, String maxUnavailable, int expected) {
        Deployment d = maxUnavailable == null ? recreate(replicas) : DeploymentPlannerTest.deployment(replicas, "1", maxUnavailable);
        assertThat(DeploymentPlanner.maxUnavailable(d)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "TestResolveFenceposts #{0}: {1}/{2} of {3} → {4}/{5}")
    @CsvSource(delimiter = '|', textBlock = """
            0 | 0%  | 0%  | 0  | 0 | 1
            1 | 39% | 39% | 10 | 4 | 3
            """)
    void testResolveFenceposts(int row, String maxSurge, String maxUnavailable, int desired, int surge, int unavailable) {
        assertThat(RollingUpdate.fenceposts(new IntOrString(maxSurge), new IntOrString(maxUnavailable), desired))
                .isEqualTo(new RollingUpdate.Fenceposts(surge, unavailable));
    }

    @ParameterizedTest(name = "TestResolveFenceposts #{0}: {1}/{2} is an error")
    @CsvSource(delimiter = '|', textBlock = """
            2 | oops | 39%
            3 | 55%  | urg
            """)
    void testResolveFencepostsErrors(int row, String maxSurge, String maxUnavailable) {
        assertThatThrownBy(() -> RollingUpdate.fenceposts(new IntOrString(maxSurge), new IntOrString(maxUnavailable), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Deliberate divergence: upstream's ResolveFenceposts reads an unset field as 0 (rows 4–6 expect 0/3, 4/0 and
     * 0/1), because the API server's defaulting has already put 25% into every unset field before the controller
     * sees it. Berth's stored objects are not defaulted, so {@link RollingUpdate#fenceposts} applies that default
     * itself: the answers are those of the defaulted Deployment Kubernetes would run.
     */
    @ParameterizedTest(name = "TestResolveFenceposts #{0}, defaulted: {1}/{2} of 10 → {3}/{4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            4 | -   | 39% | 3 | 3
            5 | 39% | -   | 4 | 2
            6 | -   | -   | 3 | 2
            """)
    void testResolveFencepostsOfUnsetFields(int row, String maxSurge, String maxUnavailable, int surge, int unavailable) {
        assertThat(RollingUpdate.fenceposts(maxSurge == null ? null : new IntOrString(maxSurge),
                maxUnavailable == null ? null : new IntOrString(maxUnavailable), 10)).isEqualTo(new RollingUpdate.Fenceposts(surge, unavailable));
    }

    // maxUnavailable 1; beside the new ReplicaSet an old one of 5, as upstream's
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            can not scale up - to newRSReplicas | 1 | 5 | 1  | 5
            scale up - to depReplicas           | 6 | 2 | 10 | 6
            """)
    void testNewRSNewReplicas(String upstreamCase, int desired, int newReplicas, int maxSurge, int expected) {
        assertThat(RollingUpdate.newReplicaSetReplicas(desired, maxSurge, 5 + newReplicas, newReplicas)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void testNewRSNewReplicasRecreateToDepReplicas() {
        // upstream's "recreate - to depReplicas" (3 desired, new 1 → 3): Berth's recreateStep grows the new
        // ReplicaSet straight to desired once the old pods are gone (the old one of 5 is scaled down first)
        Deployment d = recreate(3);
        List<Action> actions = DeploymentPlannerTest.plan(d, List.of(DeploymentPlannerTest.rs("old", 1, 0, 0, 0, true),
                DeploymentPlannerTest.rs("new", 2, 1, 1, 1, false)), "new", Optional.empty(), NOW).actions();
        assertThat(actions).containsExactly(new Action.Scale("web-new", 3));
    }

    /**
     * Upstream reads the Deployment's status; Berth reads its ReplicaSets. Here the new ReplicaSet holds the
     * {@code updated} pods and the first {@code available} of them are available; the old one holds the rest.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not complete: min but not all pods become available | 5 | 5 | 5 | 4 | false
            not complete: min availability is not honored       | 5 | 5 | 5 | 3 | false
            complete                                            | 5 | 5 | 5 | 5 | true
            not complete: all pods are available but not updated | 5 | 5 | 4 | 5 | false
            not complete: still running old pods                | 1 | 2 | 1 | 1 | false
            not complete: one replica deployment never comes up | 1 | 1 | 1 | 0 | false
            """)
    void testDeploymentComplete(String upstreamCase, int desired, int current, int updated, int available, boolean complete) {
        int newAvailable = Math.min(updated, available);
        int old = current - updated;
        ReplicaSet newRs = DeploymentPlannerTest.rs("new", 2, updated, updated, newAvailable, false);
        ReplicaSet oldRs = DeploymentPlannerTest.rs("old", 1, old, old, available - newAvailable, true);
        assertThat(DeploymentPlanner.isComplete(desired, newRs, List.of(oldRs))).isEqualTo(complete);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            progressing: updated pods                      | 10 4 4 4   | 10 6 4 4   | true
            not progressing                                | 10 4 4 4   | 10 4 4 4   | false
            progressing: old pods removed                  | 10 4 6 6   | 8 4 6 6    | true
            not progressing: less new pods                 | 10 7 3 3   | 10 6 3 3   | false
            progressing: less overall but more new pods    | 10 4 7 7   | 8 8 5 5    | true
            progressing: more ready pods                   | 10 10 9 8  | 10 10 10 8 | true
            progressing: more available pods               | 10 10 10 9 | 10 10 10 10 | true
            """)
    void testDeploymentProgressing(String upstreamCase, String before, String after, boolean progressing) {
        assertThat(DeploymentConditions.progressed(status(before), status(after))).isEqualTo(progressing);
    }

    /**
     * The "nil progressDeadlineSeconds" case: upstream has no deadline for nil; the API server defaults it to 600
     * before, and Berth applies that default itself ({@link DeploymentPlanner#progressDeadline}), so 11 s is not a
     * timeout either way.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            nil progressDeadlineSeconds specified - no timeout                  | -          | ReplicaSetUpdated      | 2016-01-01T00:01:09Z | 2016-01-01T00:01:20Z | false
            infinite progressDeadlineSeconds specified - no timeout             | 2147483647 | ReplicaSetUpdated      | 2016-01-01T00:01:09Z | 2016-01-01T00:01:20Z | false
            progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s | 10 | ReplicaSetUpdated | 2016-01-01T00:01:09Z | 2016-01-01T00:01:20Z | true
            progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s  | 10 | ReplicaSetUpdated | 2016-01-01T00:01:11Z | 2016-01-01T00:01:20Z | false
            previous status was a complete deployment                           | -          | NewReplicaSetAvailable | 0001-01-01T00:00:00Z | 2016-01-01T00:01:20Z | false
            """)
    void testDeploymentTimedOut(String upstreamCase, Integer deadline, String reason, String lastUpdate, String now, boolean timedOut) {
        Deployment d = DeploymentPlannerTest.deployment(1, null, null);
        d.getSpec().setProgressDeadlineSeconds(deadline);
        DeploymentCondition c = new DeploymentConditionBuilder().withType("Progressing").withStatus("True").withReason(reason)
                .withLastUpdateTime(lastUpdate).build();
        assertThat(DeploymentConditions.timedOut(c, DeploymentPlanner.progressDeadline(d), Instant.parse(now))).isEqualTo(timedOut);
    }

    // rs1: spec 1, status 2; rs2: 2, 3; rs3 (unsynced): 3, 0; rs4: 1, 1
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            scaling down rs1                                                | 1       | 1 | 2
            scaling down rs1 and rs2                                        | 1 2     | 3 | 5
            scaling up rs3                                                  | 3       | 3 | 0
            scaling down rs1 and rs2 and scaling up rs3                     | 1 2 3   | 6 | 5
            invalid/unknown terminating status for rs4                      | 4       | 1 | 1
            invalid/unknown terminating status for rs4 with rs1, rs2 and rs3 | 1 2 3 4 | 7 | 6
            """)
    void testGetReplicaCountForReplicaSets(String upstreamCase, String sets, int count, int actual) {
        int[][] specAndStatus = {{1, 2}, {2, 3}, {3, 0}, {1, 1}};
        List<ReplicaSet> owned = new ArrayList<>();
        for (String s : sets.split(" ")) {
            int i = Integer.parseInt(s) - 1;
            owned.add(DeploymentPlannerTest.rs("rs" + (i + 1), i + 1, specAndStatus[i][0], specAndStatus[i][1], 0, true));
        }
        assertThat(DeploymentPlanner.total(owned)).isEqualTo(count);
        // the Deployment's status.replicas is the actual count (its template matches none of them here)
        DeploymentStatus status = DeploymentPlannerTest.plan(DeploymentPlannerTest.deployment(1, "1", "0"), owned, "other", Optional.empty(), NOW).status();
        assertThat(status.getReplicas()).isEqualTo(actual);
    }

    // TestAnnotationUtils/SetNewReplicaSetAnnotations: revisions 11 to 20 set in turn with a history limit of 5 chars
    @ParameterizedTest(name = "TestAnnotationUtils/SetNewReplicaSetAnnotations: \"{0}\" + {1} → \"{2}\"")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -     | 11 | 11
            11    | 12 | 11,12
            11,12 | 13 | 12,13
            12,13 | 14 | 13,14
            18,19 | 20 | 19,20
            """)
    void testSetNewReplicaSetAnnotationsRevisionHistory(String history, String previous, String expected) {
        assertThat(RolloutHistory.revisionHistory(history, previous, 5)).isEqualTo(expected);
    }

    /** "current updated ready available" as a status. */
    static DeploymentStatus status(String counts) {
        String[] c = counts.trim().split("\\s+");
        return new DeploymentStatusBuilder().withReplicas(Integer.parseInt(c[0])).withUpdatedReplicas(Integer.parseInt(c[1]))
                .withReadyReplicas(Integer.parseInt(c[2])).withAvailableReplicas(Integer.parseInt(c[3])).build();
    }
}
