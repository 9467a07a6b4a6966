package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.controller.DeploymentPlanner.Action;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The canary strategy: its annotations, its steps as the planner takes them, its verdicts and its traffic split. */
class CanaryTest {

    static final Instant NOW = DeploymentPlannerTest.NOW;
    static final Canary.Settings SETTINGS = new Canary.Settings(List.of(10, 50), Duration.ofSeconds(30), 0.01, 0.5, 20);

    static Deployment canaryDeployment() {
        Deployment d = DeploymentPlannerTest.deployment(4, "1", "0");
        d.getMetadata().setAnnotations(Map.of(Canary.STEPS, "10,50", Canary.STEP_SECONDS, "30"));
        return d;
    }

    static ReplicaSet canary(int spec, int available, Canary.State state) {
        ReplicaSet rs = DeploymentPlannerTest.rs("new", 2, spec, spec, available, false);
        Map<String, String> a = new HashMap<>(rs.getMetadata().getAnnotations());
        a.putAll(state.annotations());
        rs.getMetadata().setAnnotations(a);
        return rs;
    }

    static final ReplicaSet STABLE = DeploymentPlannerTest.rs("old", 1, 4, 4, 4, true);

    static List<Action> plan(ReplicaSet canary, Optional<Canary.Verdict> verdict) {
        List<ReplicaSet> owned = List.of(STABLE, canary);
        return DeploymentPlanner.plan(canaryDeployment(), owned, DeploymentPlannerTest.current(owned, "new"), Optional.empty(), verdict, NOW).actions();
    }

    @Test
    void settingsComeFromAnnotationsWithDocumentedDefaults() {
        assertThat(Canary.settings(canaryDeployment())).contains(new Canary.Settings(List.of(10, 50), Duration.ofSeconds(30), 0.01, 0.5, 20));
        assertThat(Canary.settings(DeploymentPlannerTest.deployment(1, "1", "0"))).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource(delimiter = '|', value = {"50,10", "0,50", "10,100", "ten", "10,,50"})
    void stepsMustRiseBelowOneHundred(String steps) {
        assertThatThrownBy(() -> Canary.parseSteps(steps)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Canary.problems(Map.of(Canary.STEPS, steps))).containsKey(Canary.STEPS);
    }

    @Test
    void badThresholdsAreNamed() {
        assertThat(Canary.problems(Map.of(Canary.STEPS, "10", Canary.MAX_ERROR_RATIO, "lots", Canary.STEP_SECONDS, "-1")))
                .containsOnlyKeys(Canary.MAX_ERROR_RATIO, Canary.STEP_SECONDS);
    }

    @Test
    void theFirstStepScalesTheCanaryThenRoutesItsWeight() {
        // a new ReplicaSet of 1 (created by the rolling logic's surge) for 10 % of 4 → 1 replica
        assertThat(plan(canary(1, 0, Canary.State.START), Optional.empty())).as("waiting for the canary pod").isEmpty();
        assertThat(plan(canary(1, 1, Canary.State.START), Optional.empty()))
                .singleElement().isInstanceOfSatisfying(Action.SetCanary.class, a -> assertThat(a.state()).isEqualTo(new Canary.State(0, 10, NOW, false)));
    }

    @Test
    void aStepRunsItsTimeThenAPassingVerdictMovesOnAndTheLastPromotes() {
        ReplicaSet running = canary(1, 1, new Canary.State(0, 10, NOW.minusSeconds(10), false));
        assertThat(plan(running, Optional.empty())).as("step still running: the old ReplicaSet is not touched").isEmpty();
        ReplicaSet due = canary(1, 1, new Canary.State(0, 10, NOW.minusSeconds(30), false));
        var pass = Optional.of(new Canary.Verdict(Canary.Verdict.Outcome.PASS, "fine"));
        assertThat(plan(due, pass)).singleElement().isInstanceOfSatisfying(Action.SetCanary.class,
                a -> assertThat(a.state()).isEqualTo(new Canary.State(1, 10, null, false)));
        // step 2: 50 % of 4 → 2 replicas first
        assertThat(plan(canary(1, 1, new Canary.State(1, 10, null, false)), Optional.empty())).containsExactly(new Action.Scale("web-new", 2));
        ReplicaSet lastDue = canary(2, 2, new Canary.State(1, 50, NOW.minusSeconds(31), false));
        assertThat(plan(lastDue, pass)).singleElement().isInstanceOfSatisfying(Action.SetCanary.class, a -> assertThat(a.state().promoted()).isTrue());
        // promoted: an ordinary RollingUpdate from here on — 6 pods for 4 desired, surge 1: two old ones go first
        assertThat(plan(canary(2, 2, new Canary.State(1, null, null, true)), Optional.empty())).containsExactly(new Action.Scale("web-old", 2));
    }

    @Test
    void inconclusiveKeepsTheStepAndAFailedVerdictRollsBack() {
        ReplicaSet due = canary(1, 1, new Canary.State(0, 10, NOW.minusSeconds(40), false));
        assertThat(plan(due, Optional.of(new Canary.Verdict(Canary.Verdict.Outcome.INCONCLUSIVE, "3 requests")))).isEmpty();
        var fail = new Canary.Verdict(Canary.Verdict.Outcome.FAIL, "error ratio 0.5");
        assertThat(plan(due, Optional.of(fail))).containsExactly(
                new Action.RollBack("web-old", 1, 2, new RevisionSignals.Failure("AnalysisFailed", "error ratio 0.5")));
    }

    @ParameterizedTest(name = "{0} requests, {1} errors, p99 {2} → {3}")
    @CsvSource(nullValues = "-", value = {
            "10, 0, 0.01, INCONCLUSIVE",
            "100, 1, 0.01, PASS",     // 1 % is the limit itself
            "100, 2, 0.01, FAIL",
            "100, 0, 0.6, FAIL",
            "100, 0, -, PASS",        // no latency source: error ratio alone
            "100, 0, NaN, PASS",      // no samples in the window
    })
    void verdicts(long requests, long errors, Double p99, Canary.Verdict.Outcome outcome) {
        assertThat(CanaryAnalysis.judge("test", requests, errors, p99, SETTINGS).outcome()).isEqualTo(outcome);
    }

    static Pod pod(String hash, String owner) {
        return new PodBuilder().withNewMetadata().withName(owner + "-x").addToLabels(PodTemplates.TEMPLATE_HASH_LABEL, hash)
                .withOwnerReferences(new OwnerReferenceBuilder().withKind("ReplicaSet").withName(owner).withController(true).build())
                .endMetadata().build();
    }

    @Test
    void theSplitGivesTheRoutedCanaryItsWeightAndTheOthersTheRest() {
        ReplicaSet routed = canary(1, 1, new Canary.State(0, 10, NOW, false));
        Map<String, ReplicaSet> sets = Map.of("web-new", routed, "web-old", STABLE);
        List<Pod> pods = List.of(pod("old", "web-old"), pod("old", "web-old"), pod("new", "web-new"));
        assertThat(EndpointsController.trafficSplit(pods, n -> Optional.ofNullable(sets.get(n)))).isEqualTo("new=10,old=90");
        // not routed yet, or promoted: no split
        Map<String, ReplicaSet> unrouted = Map.of("web-new", canary(1, 1, Canary.State.START), "web-old", STABLE);
        assertThat(EndpointsController.trafficSplit(pods, n -> Optional.ofNullable(unrouted.get(n)))).isNull();
    }
}
