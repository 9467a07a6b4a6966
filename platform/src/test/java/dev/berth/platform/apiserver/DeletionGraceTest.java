package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DeletionGrace} against upstream's tables, one row per upstream case and named after it: {@code TestBeforeDelete}
 * in {@code staging/src/k8s.io/apiserver/pkg/registry/rest/delete_test.go} (a delete of a terminating pod) and
 * {@code TestCheckGracefulDelete} in {@code pkg/registry/core/pod/strategy_test.go} (the first delete's grace).
 */
class DeletionGraceTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    /** Terminating since {@code deletionTimestamp}, with {@code grace} seconds. */
    static Pod terminating(Instant deletionTimestamp, long grace) {
        return new PodBuilder().withNewMetadata().withName("p").withDeletionTimestamp(deletionTimestamp.toString())
                .withDeletionGracePeriodSeconds(grace).endMetadata().withNewSpec().withNodeName("node-a").endSpec().build();
    }

    /** upstream's makePod: terminating with {@code grace}, the timestamp {@code grace} seconds from now. */
    static Pod terminating(long grace) {
        return terminating(NOW.plusSeconds(grace), grace);
    }

    static Arguments row(String upstreamCase, Pod pod, long requested, boolean graceful, boolean pending, long deletionGrace, long optionsGrace,
            Instant deletionTimestamp) {
        return Arguments.of(upstreamCase, pod, requested, graceful, pending, deletionGrace, optionsGrace, deletionTimestamp);
    }

    static Stream<Arguments> beforeDelete() {
        return Stream.of(
                row("when DeletionGracePeriodSeconds=-1, GracePeriodSeconds=-1", terminating(-1), -1, false, true, 1, 1, null),
                row("when DeletionGracePeriodSeconds=-1, GracePeriodSeconds=0", terminating(-1), 0, true, false, 0, 0, null),
                row("when DeletionGracePeriodSeconds=-1, GracePeriodSeconds=1", terminating(-1), 1, false, true, 1, 1, null),
                row("when DeletionGracePeriodSeconds=-1, GracePeriodSeconds=2", terminating(-1), 2, false, true, 1, 2, null),
                row("when DeletionGracePeriodSeconds=0, GracePeriodSeconds=-1", terminating(0), -1, false, false, 0, 1, null),
                row("when DeletionGracePeriodSeconds=0, GracePeriodSeconds=0", terminating(0), 0, false, false, 0, 0, null),
                row("when DeletionGracePeriodSeconds=0, GracePeriodSeconds=1", terminating(0), 1, false, false, 0, 1, null),
                row("when DeletionGracePeriodSeconds=0, GracePeriodSeconds=2", terminating(0), 2, false, false, 0, 2, null),
                row("when DeletionGracePeriodSeconds=1, GracePeriodSeconds=-1", terminating(1), -1, false, true, 1, 1, null),
                row("when DeletionGracePeriodSeconds=1, GracePeriodSeconds=0", terminating(1), 0, true, false, 0, 0, null),
                row("when DeletionGracePeriodSeconds=1, GracePeriodSeconds=1", terminating(1), 1, false, true, 1, 1, null),
                row("when DeletionGracePeriodSeconds=1, GracePeriodSeconds=2", terminating(1), 2, false, true, 1, 2, null),
                row("when DeletionGracePeriodSeconds=2, GracePeriodSeconds=-1", terminating(2), -1, true, false, 1, 1, null),
                row("when DeletionGracePeriodSeconds=2, GracePeriodSeconds=0", terminating(2), 0, true, false, 0, 0, null),
                row("when DeletionGracePeriodSeconds=2, GracePeriodSeconds=1", terminating(2), 1, true, false, 1, 1, null),
                row("when DeletionGracePeriodSeconds=2, GracePeriodSeconds=2", terminating(2), 2, false, true, 2, 2, null),
                row("when a shorter non-zero grace period would move into the past", terminating(NOW.minusSeconds(60), 60), 50, true, false, 1, 50, NOW),
                row("when a zero grace period would move into the past", terminating(NOW.minusSeconds(60), 60), 0, true, false, 0, 0, NOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beforeDelete")
    void aDeleteOfATerminatingPodMayOnlyShortenItsGrace(String upstreamCase, Pod pod, long requested, boolean graceful, boolean pending,
            long deletionGrace, long optionsGrace, Instant deletionTimestamp) {
        DeletionGrace d = DeletionGrace.decide(pod, requested, NOW);

        assertThat(d.graceful()).as("graceful").isEqualTo(graceful);
        assertThat(d.pending()).as("gracefulPending").isEqualTo(pending);
        assertThat(d.deletionGracePeriodSeconds()).as("metadata.deletionGracePeriodSeconds").isEqualTo(deletionGrace);
        assertThat(d.gracePeriodSeconds()).as("options.gracePeriodSeconds").isEqualTo(optionsGrace);
        if (deletionTimestamp != null) {
            assertThat(d.deletionTimestamp()).as("metadata.deletionTimestamp").isEqualTo(deletionTimestamp.toString());
        }
        assertThat(d.action()).isEqualTo(pending ? DeletionGrace.Action.NONE
                : graceful && deletionGrace > 0 ? DeletionGrace.Action.MARK_TERMINATING : DeletionGrace.Action.DELETE_NOW);
    }

    static Pod pod(String nodeName, String phase, Long terminationGrace) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withNodeName(nodeName)
                .withTerminationGracePeriodSeconds(terminationGrace).endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    static Stream<Arguments> checkGracefulDelete() {
        return Stream.of(
                Arguments.of("in pending phase with has node name", pod("something", "Pending", null), 30L, 30L),
                Arguments.of("in failed phase with has node name", pod("something", "Failed", null), 30L, 0L),
                Arguments.of("in failed phase", pod(null, "Pending", null), 30L, 0L),
                Arguments.of("in succeeded phase", pod(null, "Succeeded", null), 30L, 0L),
                Arguments.of("no phase", pod(null, null, null), 30L, 0L),
                Arguments.of("has negative grace period", pod("something", null, -1L), null, 1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkGracefulDelete")
    void aFirstDeleteGetsThePodStrategysGrace(String upstreamCase, Pod pod, Long requested, long grace) {
        DeletionGrace d = DeletionGrace.decide(pod, requested, NOW);

        assertThat(d.gracePeriodSeconds()).as("options.gracePeriodSeconds").isEqualTo(grace);
        assertThat(d.graceful()).isTrue();
        assertThat(d.deletionGracePeriodSeconds()).isEqualTo(grace);
        assertThat(d.deletionTimestamp()).isEqualTo(NOW.plusSeconds(grace).toString());
        assertThat(d.action()).isEqualTo(grace == 0 ? DeletionGrace.Action.DELETE_NOW : DeletionGrace.Action.MARK_TERMINATING);
    }

    @org.junit.jupiter.api.Test
    void aDeleteWithoutAGraceLeavesATerminatingPodAsItIsAndAStoredPodWithoutOneGetsTheApisDefault() {
        DeletionGrace again = DeletionGrace.decide(terminating(20), null, NOW);
        assertThat(again.action()).isEqualTo(DeletionGrace.Action.NONE);
        assertThat(again.gracePeriodSeconds()).isEqualTo(20);
        assertThat(again.deletionTimestamp()).isEqualTo(NOW.plusSeconds(20).toString());

        DeletionGrace first = DeletionGrace.decide(pod("node-a", "Running", null), null, NOW.plusMillis(700));
        assertThat(first.deletionGracePeriodSeconds()).isEqualTo(DeletionGrace.DEFAULT_GRACE_SECONDS);
        assertThat(first.deletionTimestamp()).as("whole seconds, as metav1.Time").isEqualTo("2026-12-06T10:00:30Z");
    }
}
