package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.controller.DeploymentPlanner.Action;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Deployment controller's decisions: one step per pass, a rollout simulated pass by pass against a cluster
 * whose new pods become available one pass after they are created, with Kubernetes' guarantees checked at every
 * step; undo, pause, Recreate, history, and the automatic rollback.
 */
class DeploymentPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final Optional<RevisionSignals.Failure> HEALTHY = Optional.empty();

    static Deployment deployment(int replicas, String maxSurge, String maxUnavailable) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace("default").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(replicas)
                    .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withMaxSurge(maxSurge == null ? null : new IntOrString(maxSurge))
                        .withMaxUnavailable(maxUnavailable == null ? null : new IntOrString(maxUnavailable))
                    .endRollingUpdate().endStrategy()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().endTemplate()
                .endSpec()
                .build();
    }

    static ReplicaSet rs(String hash, long revision, int spec, int observed, int available, boolean complete) {
        Map<String, String> annotations = new HashMap<>();
        annotations.put(DeploymentPlanner.REVISION_ANNOTATION, Long.toString(revision));
        if (complete) {
            annotations.put(DeploymentPlanner.COMPLETE_ANNOTATION, NOW.minusSeconds(3600).toString());
        }
        return new ReplicaSetBuilder()
                .withNewMetadata().withName("web-" + hash).withNamespace("default").withCreationTimestamp(NOW.minusSeconds(600 - revision).toString())
                    .addToLabels(PodTemplates.TEMPLATE_HASH_LABEL, hash).withAnnotations(annotations).endMetadata()
                .withNewSpec().withReplicas(spec).endSpec()
                .withNewStatus().withReplicas(observed).withReadyReplicas(available).withAvailableReplicas(available).endStatus()
                .build();
    }

    /** The ReplicaSet of the current template: in these tests a ReplicaSet's hash label names its template. */
    static DeploymentPlanner.NewReplicaSet current(List<ReplicaSet> owned, String hash) {
        return new DeploymentPlanner.NewReplicaSet(hash, owned.stream().filter(rs -> hash.equals(DeploymentPlanner.hashOf(rs))).findFirst());
    }

    static DeploymentPlanner.Plan plan(Deployment d, List<ReplicaSet> owned, String hash, Optional<RevisionSignals.Failure> failure, Instant now) {
        return DeploymentPlanner.plan(d, owned, current(owned, hash), failure, now);
    }

    @Test
    void aConvergedDeploymentTakesNoAction() {
        Deployment d = deployment(3, "1", "0");
        List<ReplicaSet> owned = List.of(rs("old", 1, 0, 0, 0, true), rs("new", 2, 3, 3, 3, true));
        DeploymentPlanner.Plan plan = plan(d, owned, "new", HEALTHY, NOW);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.rolling()).isFalse();
        assertThat(condition(plan.status(), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(condition(plan.status(), "Available").getStatus()).isEqualTo("True");
        // the status it wrote is stable: planning again on it changes nothing
        d.setStatus(plan.status());
        assertThat(plan(d, owned, "new", HEALTHY, NOW.plusSeconds(30)).status()).isEqualTo(plan.status());
    }

    @Test
    void aNewTemplateGetsANewReplicaSetAsTheNextRevisionWithinTheSurge() {
        Deployment d = deployment(3, "1", "0");
        DeploymentPlanner.Plan plan = plan(d, List.of(rs("a", 4, 3, 3, 3, true), rs("b", 2, 0, 0, 0, true)), "c", HEALTHY, NOW);
        assertThat(plan.actions()).containsExactly(new Action.CreateReplicaSet("c", 5, 1));
        assertThat(condition(plan.status(), "Progressing").getReason()).isEqualTo("NewReplicaSetCreated");
        assertThat(plan.rolling()).isTrue();
    }

    @ParameterizedTest(name = "{0} → {0} replicas, maxSurge {1}, maxUnavailable {2}")
    @CsvSource({
            "2, 1, 0", "3, 1, 0", "3, 0, 1", "3, 25%, 25%", "10, 25%, 25%", "10, 3, 2", "5, 100%, 0", "4, 0, 0", "1, 1, 0", "1, 0, 1",
    })
    void aRolloutKeepsWithinItsFencepostsAtEveryStepAndCompletes(int desired, String maxSurge, String maxUnavailable) {
        Deployment d = deployment(desired, maxSurge, maxUnavailable);
        RollingUpdate.Fenceposts f = RollingUpdate.fenceposts(new IntOrString(maxSurge), new IntOrString(maxUnavailable), desired);
        Cluster cluster = new Cluster();
        cluster.sets.add(rs("old", 1, desired, desired, desired, true));
        int passes = 0;
        while (passes++ < 200) {
            DeploymentPlanner.Plan plan = plan(d, cluster.snapshot(), "new", HEALTHY, NOW.plusSeconds(passes));
            d.setStatus(plan.status());
            assertThat(plan.actions().size()).as("one step per pass").isLessThanOrEqualTo(cluster.sets.size() + 1);
            if (plan.actions().stream().anyMatch(a -> a instanceof Action.MarkComplete)) {
                break;
            }
            cluster.apply(plan.actions());
            assertThat(cluster.pods()).as("pass %d: pods ≤ desired + maxSurge", passes).isLessThanOrEqualTo(desired + f.maxSurge());
            assertThat(cluster.available()).as("pass %d: available ≥ desired − maxUnavailable", passes)
                    .isGreaterThanOrEqualTo(Math.min(desired, desired - f.maxUnavailable()));
            cluster.tick();
        }
        assertThat(passes).as("the rollout completes").isLessThan(200);
        assertThat(cluster.spec("new")).isEqualTo(desired);
        assertThat(cluster.spec("old")).isZero();
        assertThat(condition(d.getStatus(), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void oldPodsThatAreNotAvailableGoFirstAndCostNoAvailability() {
        // 3 old pods, 1 of them unavailable, 1 new available: 3 available = the minimum, yet the unavailable old one may go
        Deployment d = deployment(3, "1", "0");
        List<ReplicaSet> owned = List.of(rs("old", 1, 3, 3, 2, true), rs("new", 2, 1, 1, 1, false));
        assertThat(plan(d, owned, "new", HEALTHY, NOW).actions()).containsExactly(new Action.Scale("web-old", 2));
    }

    @Test
    void recreateStopsEveryOldPodBeforeStartingNewOnes() {
        Deployment d = deployment(3, null, null);
        d.getSpec().getStrategy().setType("Recreate");
        d.getSpec().getStrategy().setRollingUpdate(null);
        assertThat(plan(d, List.of(rs("old", 1, 3, 3, 3, true)), "new", HEALTHY, NOW).actions())
                .containsExactly(new Action.Scale("web-old", 0));
        assertThat(plan(d, List.of(rs("old", 1, 0, 2, 2, true)), "new", HEALTHY, NOW).actions())
                .as("old pods still stopping").isEmpty();
        assertThat(plan(d, List.of(rs("old", 1, 0, 0, 0, true)), "new", HEALTHY, NOW).actions())
                .containsExactly(new Action.CreateReplicaSet("new", 2, 3));
    }

    @Test
    void aRecreateDeploymentIsAvailableOnlyWithEveryReplica() {
        // deploymentutil.MaxUnavailable is 0 for a strategy other than RollingUpdate: 3 of 4 is not minimum availability
        Deployment d = deployment(4, null, null);
        d.getSpec().getStrategy().setType("Recreate");
        d.getSpec().getStrategy().setRollingUpdate(null);
        DeploymentPlanner.Plan threeOfFour = plan(d, List.of(rs("new", 1, 4, 4, 3, false)), "new", HEALTHY, NOW);
        assertThat(threeOfFour.actions()).isEmpty();
        assertThat(condition(threeOfFour.status(), "Available").getStatus()).isEqualTo("False");
        assertThat(condition(threeOfFour.status(), "Available").getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(threeOfFour.status().getUnavailableReplicas()).isEqualTo(1);
        DeploymentPlanner.Plan all = plan(d, List.of(rs("new", 1, 4, 4, 4, false)), "new", HEALTHY, NOW);
        assertThat(condition(all.status(), "Available").getStatus()).isEqualTo("True");
    }

    @Test
    void aPausedDeploymentStartsNoRolloutAndSaysSo() {
        Deployment d = deployment(3, "1", "0");
        d.getSpec().setPaused(true);
        DeploymentPlanner.Plan plan = plan(d, List.of(rs("old", 1, 3, 3, 3, true)), "new", HEALTHY, NOW);
        assertThat(plan.actions()).isEmpty();
        assertThat(condition(plan.status(), "Progressing")).extracting(DeploymentCondition::getStatus, DeploymentCondition::getReason)
                .containsExactly("Unknown", "DeploymentPaused");
        // a paused rollout half-way stays where it is
        List<ReplicaSet> halfway = List.of(rs("old", 1, 2, 2, 2, true), rs("new", 2, 2, 2, 2, false));
        assertThat(plan(d, halfway, "new", HEALTHY, NOW).actions()).isEmpty();
        // resumed: the rollout goes on, and the condition says it was resumed
        d.setStatus(plan.status());
        d.getSpec().setPaused(null);
        DeploymentPlanner.Plan resumed = plan(d, halfway, "new", HEALTHY, NOW);
        assertThat(resumed.actions()).containsExactly(new Action.Scale("web-old", 1));
        assertThat(condition(resumed.status(), "Progressing").getReason()).isEqualTo("DeploymentResumed");
    }

    @Test
    void undoToAnOldTemplateReusesItsReplicaSetAsTheNewestRevision() {
        Deployment d = deployment(2, "1", "0");
        List<ReplicaSet> owned = List.of(rs("a", 1, 0, 0, 0, true), rs("b", 2, 2, 2, 2, true));
        assertThat(plan(d, owned, "a", HEALTHY, NOW).actions()).containsExactly(new Action.Renumber("web-a", 3));
    }

    @Test
    void historyBeyondTheLimitIsPrunedOldestFirstOnceComplete() {
        Deployment d = deployment(1, "1", "0");
        d.getSpec().setRevisionHistoryLimit(1);
        List<ReplicaSet> owned = List.of(rs("a", 1, 0, 0, 0, true), rs("b", 2, 0, 0, 0, true), rs("c", 3, 0, 0, 0, true), rs("d", 4, 1, 1, 1, true));
        assertThat(plan(d, owned, "d", HEALTHY, NOW).actions())
                .containsExactly(new Action.DeleteReplicaSet("web-a"), new Action.DeleteReplicaSet("web-b"));
    }

    @Test
    void aCrashLoopingRevisionIsRolledBackToTheLastGoodOne() {
        Deployment d = deployment(2, "1", "0");
        List<ReplicaSet> owned = List.of(rs("a", 1, 0, 0, 0, true), rs("b", 2, 2, 2, 2, true), rs("c", 3, 1, 1, 0, false));
        var failure = Optional.of(new RevisionSignals.Failure("CrashLooping", "container app of pod web-c-x restarted 2 times"));
        DeploymentPlanner.Plan plan = plan(d, owned, "c", failure, NOW);
        assertThat(plan.actions()).containsExactly(new Action.RollBack("web-b", 2, 3, failure.get()));
        DeploymentCondition degraded = condition(plan.status(), "Degraded");
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("CrashLooping");
        assertThat(degraded.getMessage()).startsWith("rolled back from revision 3 to revision 2: container app");
    }

    @Test
    void withNoGoodRevisionTheDeploymentIsDegradedAndKeepsTrying() {
        Deployment d = deployment(2, "1", "0");
        var failure = Optional.of(new RevisionSignals.Failure("Unready", "never ready"));
        DeploymentPlanner.Plan plan = plan(d, List.of(rs("a", 1, 2, 2, 0, false)), "a", failure, NOW);
        assertThat(plan.actions()).noneMatch(a -> a instanceof Action.RollBack);
        assertThat(condition(plan.status(), "Degraded").getMessage()).contains("nothing to roll back to");
    }

    @Test
    void autoRollbackCanBeTurnedOff() {
        Deployment d = deployment(2, "1", "0");
        d.getMetadata().setAnnotations(Map.of(RevisionSignals.AUTO_ROLLBACK_ANNOTATION, "false"));
        List<ReplicaSet> owned = List.of(rs("b", 2, 2, 2, 2, true), rs("c", 3, 1, 1, 0, false));
        var failure = Optional.of(new RevisionSignals.Failure("CrashLooping", "x"));
        assertThat(plan(d, owned, "c", failure, NOW).actions()).noneMatch(a -> a instanceof Action.RollBack);
    }

    @Test
    void noProgressForTheDeadlineTimesOutThenRollsBack() {
        Deployment d = deployment(2, "1", "0");
        d.getSpec().setProgressDeadlineSeconds(30);
        List<ReplicaSet> owned = List.of(rs("b", 2, 2, 2, 2, true), rs("c", 3, 1, 1, 0, false));
        d.setStatus(status(3, 1, 2, 2, new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                .withReason("ReplicaSetUpdated").withLastUpdateTime(NOW.minusSeconds(20).toString()).withLastTransitionTime(NOW.minusSeconds(40).toString())
                .build()));
        assertThat(plan(d, owned, "c", HEALTHY, NOW).actions()).as("within the deadline").isEmpty();
        // 31 s without progress: the condition says ProgressDeadlineExceeded and the plan rolls back
        DeploymentPlanner.Plan late = plan(d, owned, "c", HEALTHY, NOW.plusSeconds(11));
        assertThat(late.actions()).singleElement().isInstanceOfSatisfying(Action.RollBack.class,
                r -> assertThat(r.why().reason()).isEqualTo("ProgressDeadlineExceeded"));
    }

    @Test
    void progressMovesTheDeadline() {
        Deployment d = deployment(2, "1", "0");
        d.setStatus(status(3, 1, 2, 2, new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                .withReason("ReplicaSetUpdated").withLastUpdateTime(NOW.minusSeconds(500).toString()).withLastTransitionTime(NOW.minusSeconds(900).toString())
                .build()));
        // one more new pod became ready since the last status
        List<ReplicaSet> owned = List.of(rs("b", 2, 2, 2, 2, true), rs("c", 3, 1, 1, 1, false));
        DeploymentCondition progressing = condition(plan(d, owned, "c", HEALTHY, NOW).status(), "Progressing");
        assertThat(progressing.getLastUpdateTime()).isEqualTo(NOW.toString());
        assertThat(progressing.getLastTransitionTime()).isEqualTo(NOW.minusSeconds(900).toString());
    }

    @Test
    void aRevisionRolledOutAfterARollbackClearsDegraded() {
        Deployment d = deployment(1, "1", "0");
        d.setStatus(status(1, 1, 1, 1, new DeploymentConditionBuilder().withType("Degraded").withStatus("True")
                .withReason("CrashLooping").withLastTransitionTime(NOW.minusSeconds(300).toString()).withLastUpdateTime(NOW.minusSeconds(300).toString())
                .build()));
        List<ReplicaSet> owned = List.of(rs("b", 2, 0, 0, 0, true), rs("d", 4, 1, 1, 1, false)); // "d" created 596 s ago: before the rollback
        assertThat(condition(plan(d, owned, "d", HEALTHY, NOW).status(), "Degraded").getStatus()).isEqualTo("True");
        ReplicaSet fresh = rs("e", 5, 1, 1, 1, false);
        fresh.getMetadata().setCreationTimestamp(NOW.minusSeconds(60).toString());
        owned = List.of(rs("b", 2, 0, 0, 0, true), fresh);
        assertThat(condition(plan(d, owned, "e", HEALTHY, NOW).status(), "Degraded").getStatus()).isEqualTo("False");
    }

    private static DeploymentStatus status(int replicas, int updated, int ready, int available, DeploymentCondition... conditions) {
        return new DeploymentStatusBuilder().withReplicas(replicas).withUpdatedReplicas(updated).withReadyReplicas(ready)
                .withAvailableReplicas(available).withObservedGeneration(2L).withConditions(new ArrayList<>(List.of(conditions))).build();
    }

    private static DeploymentCondition condition(DeploymentStatus status, String type) {
        return DeploymentConditions.find(status, type).orElseThrow(() -> new AssertionError("no " + type + " condition in " + status));
    }

    /** ReplicaSets whose new pods become available one pass after they are created; removed pods go at once. */
    private static final class Cluster {
        final List<ReplicaSet> sets = new ArrayList<>();

        List<ReplicaSet> snapshot() {
            return List.copyOf(sets);
        }

        void apply(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Action.CreateReplicaSet c) {
                    sets.add(rs(c.hash(), c.revision(), c.replicas(), c.replicas(), 0, false));
                } else if (a instanceof Action.Scale s) {
                    ReplicaSet rs = find(s.replicaSet());
                    rs.getSpec().setReplicas(s.replicas());
                    rs.getStatus().setReplicas(s.replicas());
                    rs.getStatus().setAvailableReplicas(Math.min(rs.getStatus().getAvailableReplicas(), s.replicas()));
                    rs.getStatus().setReadyReplicas(rs.getStatus().getAvailableReplicas());
                }
            }
        }

        void tick() {
            sets.forEach(rs -> {
                rs.getStatus().setAvailableReplicas(rs.getStatus().getReplicas());
                rs.getStatus().setReadyReplicas(rs.getStatus().getReplicas());
            });
        }

        int pods() {
            return sets.stream().mapToInt(rs -> rs.getStatus().getReplicas()).sum();
        }

        int available() {
            return sets.stream().mapToInt(rs -> rs.getStatus().getAvailableReplicas()).sum();
        }

        int spec(String hash) {
            return find("web-" + hash).getSpec().getReplicas();
        }

        ReplicaSet find(String name) {
            return sets.stream().filter(rs -> rs.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        }
    }
}
