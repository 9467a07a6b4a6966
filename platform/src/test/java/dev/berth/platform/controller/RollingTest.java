package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.controller.DeploymentPlanner.Action;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Deployment controller's rolling step against kube-controller-manager's own tables,
 * {@code pkg/controller/deployment/rolling_test.go}; rows are upstream's scenarios in order (upstream numbers
 * them, it does not name them). A ReplicaSet's observed replicas are its spec replicas here; upstream's fakes
 * have no status beyond the available pods each row gives.
 */
class RollingTest {

    // maxUnavailable 0, as upstream's test: with maxSurge 0 too the fenceposts give unavailable 1
    @ParameterizedTest(name = "reconcileNewReplicaSet #{0}: desired {1}, maxSurge {2}, old {3}, new {4} → {5}")
    @CsvSource(nullValues = "-", value = {
            "0, 10, 0, 10, 0,  -",   // should not scale up
            "1, 10, 2, 10, 0,  2",
            "2, 10, 2, 5,  0,  7",
            "3, 10, 2, 10, 2,  -",
            "4, 10, 2, 2,  11, 10",  // should scale down
    })
    void reconcileNewReplicaSet(int scenario, int desired, String maxSurge, int oldReplicas, int newReplicas, Integer expectedNew) {
        Deployment d = DeploymentPlannerTest.deployment(desired, maxSurge, "0");
        List<ReplicaSet> owned = List.of(DeploymentPlannerTest.rs("old", 1, oldReplicas, oldReplicas, 0, true),
                DeploymentPlannerTest.rs("new", 2, newReplicas, newReplicas, 0, false));

        List<Action> actions = DeploymentPlannerTest.plan(d, owned, "new", Optional.empty(), DeploymentPlannerTest.NOW).actions();

        List<Action> onNew = actions.stream().filter(a -> a instanceof Action.Scale s && s.replicaSet().equals("web-new")).toList();
        assertThat(onNew).isEqualTo(expectedNew == null ? List.of() : List.of(new Action.Scale("web-new", expectedNew)));
    }

    // maxSurge 0, as upstream's test; upstream checks only whether it scaled, the sizes are what its code computes
    @ParameterizedTest(name = "reconcileOldReplicaSets #{0}: desired {1}, maxUnavailable {2}, old {3} ({5} available), new {4} ({6}) → old {7}")
    @CsvSource(nullValues = "-", value = {
            "0, 10, 0, 10, 0, 10, 0, 9",
            "1, 10, 2, 10, 0, 10, 0, 8",
            "2, 10, 2, 10, 0, 8,  0, 8",  // the unhealthy old pods are cleaned up
            "3, 10, 2, 10, 0, 9,  0, 8",  // 1 unhealthy cleaned up and 1 ready scaled down
            "4, 10, 2, 8,  2, 8,  0, -",  // the new ReplicaSet's unavailable pods do not let more old ones go
    })
    void reconcileOldReplicaSets(int scenario, int desired, String maxUnavailable, int oldReplicas, int newReplicas, int oldReady, int newReady,
            Integer expectedOld) {
        Deployment d = DeploymentPlannerTest.deployment(desired, "0", maxUnavailable);
        List<ReplicaSet> owned = List.of(DeploymentPlannerTest.rs("old", 1, oldReplicas, oldReplicas, oldReady, true),
                DeploymentPlannerTest.rs("new", 2, newReplicas, newReplicas, newReady, false));

        List<Action> actions = DeploymentPlannerTest.plan(d, owned, "new", Optional.empty(), DeploymentPlannerTest.NOW).actions();

        assertThat(actions).isEqualTo(expectedOld == null ? List.of() : List.of(new Action.Scale("web-old", expectedOld)));
    }

    @ParameterizedTest(name = "cleanupUnhealthyReplicas #{0}: old {1}, {2} ready, at most {3} → {4} cleaned up")
    @CsvSource({
            "0, 10, 8,  1, 1",
            "1, 10, 8,  3, 2",
            "2, 10, 8,  0, 0",
            "3, 10, 10, 3, 0",
    })
    void cleanupUnhealthyReplicas(int scenario, int oldReplicas, int ready, int maxCleanup, int cleanedUp) {
        int[] after = RollingUpdate.withoutUnhealthy(new int[] {oldReplicas}, new int[] {ready}, maxCleanup);
        assertThat(oldReplicas - after[0]).isEqualTo(cleanedUp);
    }

    // maxSurge 0 and no new ReplicaSet, as upstream's test
    @ParameterizedTest(name = "scaleDownOldReplicaSetsForRollingUpdate #{0}: desired {1}, maxUnavailable {2}, {3} ready of old {4} → {5}")
    @CsvSource(nullValues = "-", value = {
            "0, 10, 0, 10, 10, 9",
            "1, 10, 2, 10, 10, 8",
            "2, 10, 2, 8,  10, -",
            "3, 10, 2, 10, 0,  -",
            "4, 10, 2, 1,  10, -",
    })
    void scaleDownOldReplicaSetsForRollingUpdate(int scenario, int desired, String maxUnavailable, int ready, int oldReplicas, Integer expectedOld) {
        int unavailable = DeploymentPlanner.maxUnavailable(DeploymentPlannerTest.deployment(desired, "0", maxUnavailable));
        int[] after = RollingUpdate.scaledDownOldestFirst(new int[] {oldReplicas}, RollingUpdate.availableScaleDown(desired, unavailable, ready));
        assertThat(after[0]).isEqualTo(expectedOld == null ? oldReplicas : expectedOld);
    }
}
