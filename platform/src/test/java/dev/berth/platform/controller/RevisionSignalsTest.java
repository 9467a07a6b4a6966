package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signals that a new revision is broken: crash loops and started-but-never-ready containers. */
class RevisionSignalsTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final RevisionSignals.Thresholds DEFAULTS = new RevisionSignals.Thresholds(2, Duration.ofSeconds(20));

    static Pod pod(int restarts, boolean started, boolean ready, Instant runningSince, Instant readyTransition) {
        return new PodBuilder().withNewMetadata().withName("web-abc-x").endMetadata()
                .withNewStatus().withPhase("Running")
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                            .withLastTransitionTime(readyTransition.toString()).build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName("app").withRestartCount(restarts).withStarted(started).withReady(ready)
                            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(runningSince.toString()).endRunning().build()).build())
                .endStatus().build();
    }

    @Test
    void healthyOrStillStartingPodsAreNoSignal() {
        assertThat(RevisionSignals.failure(List.of(pod(0, true, true, NOW.minusSeconds(300), NOW.minusSeconds(290))), DEFAULTS, NOW)).isEmpty();
        // not started yet: the startup probe decides, however long it takes
        assertThat(RevisionSignals.failure(List.of(pod(0, false, false, NOW.minusSeconds(300), NOW.minusSeconds(300))), DEFAULTS, NOW)).isEmpty();
        // started, unready for 19 s of the 20 allowed
        assertThat(RevisionSignals.failure(List.of(pod(1, true, false, NOW.minusSeconds(19), NOW.minusSeconds(19))), DEFAULTS, NOW)).isEmpty();
    }

    @Test
    void restartsAtTheThresholdAreACrashLoop() {
        assertThat(RevisionSignals.failure(List.of(pod(2, false, false, NOW, NOW)), DEFAULTS, NOW)).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo("CrashLooping");
            assertThat(f.message()).isEqualTo("container app of pod web-abc-x restarted 2 times");
        });
    }

    @Test
    void startedButUnreadyBeyondTheLimitIsUnready() {
        assertThat(RevisionSignals.failure(List.of(pod(0, true, false, NOW.minusSeconds(25), NOW.minusSeconds(25))), DEFAULTS, NOW))
                .hasValueSatisfying(f -> {
                    assertThat(f.reason()).isEqualTo("Unready");
                    assertThat(f.message()).contains("has not been ready for 25s (limit 20s)");
                });
        // it was ready until 5 s ago: counted from when it became unready
        assertThat(RevisionSignals.failure(List.of(pod(0, true, false, NOW.minusSeconds(300), NOW.minusSeconds(5))), DEFAULTS, NOW)).isEmpty();
        // a slow start (startup probe passed 10 s ago, 60 s after the process started): counted from the startup probe
        Pod slow = pod(0, true, false, NOW.minusSeconds(70), NOW.minusSeconds(70));
        slow.getStatus().setConditions(new java.util.ArrayList<>(slow.getStatus().getConditions()));
        slow.getStatus().getConditions().add(new PodConditionBuilder().withType("berth.dev/ContainersStarted").withStatus("True")
                .withLastTransitionTime(NOW.minusSeconds(10).toString()).build());
        assertThat(RevisionSignals.failure(List.of(slow), DEFAULTS, NOW)).isEmpty();
        assertThat(RevisionSignals.failure(List.of(slow), DEFAULTS, NOW.plusSeconds(11))).isPresent();
    }

    @Test
    void thresholdsComeFromAnnotationsWithDefaultsForNonsense() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withAnnotations(Map.of(
                RevisionSignals.RESTARTS_ANNOTATION, "5", RevisionSignals.UNREADY_ANNOTATION, "soon")).endMetadata().build();
        assertThat(RevisionSignals.Thresholds.of(d)).isEqualTo(new RevisionSignals.Thresholds(5, Duration.ofSeconds(20)));
        assertThat(RevisionSignals.autoRollbackEnabled(d)).isTrue();
    }
}
