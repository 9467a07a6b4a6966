package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HorizontalPodAutoscaler's arithmetic over the metrics' proposals: several metrics, bounds, stabilisation. */
class HorizontalScalingTest {

    @Test
    void theMostLoadedMetricWinsWithinTheBounds() {
        // the replicas each metric asks for are MetricReplicas' (see MetricReplicasTest, upstream's table)
        assertThat(HorizontalScaling.desired(3, List.of(3, 9), 1, 10)).isEqualTo(9);
        assertThat(HorizontalScaling.desired(3, List.of(3, 9), 1, 5)).isEqualTo(5);
        assertThat(HorizontalScaling.desired(3, List.of(0), 2, 5)).isEqualTo(2);
        assertThat(HorizontalScaling.desired(7, List.of(), 1, 5)).as("nothing measured: current, within the bounds").isEqualTo(5);
    }

    @Test
    void scaleDownWaitsForTheHighestProposalOfItsWindowScaleUpIsImmediate() {
        HorizontalScaling.Recommendations r = new HorizontalScaling.Recommendations();
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        Duration up = Duration.ZERO;
        Duration down = Duration.ofSeconds(60);
        assertThat(r.stabilised(2, 5, t, up, down)).as("up at once").isEqualTo(5);
        assertThat(r.stabilised(5, 2, t.plusSeconds(10), up, down)).as("the 5 of 10 s ago still counts").isEqualTo(5);
        assertThat(r.stabilised(5, 3, t.plusSeconds(30), up, down)).isEqualTo(5);
        assertThat(r.stabilised(5, 2, t.plusSeconds(61), up, down)).as("the 5 has left the window; the 3 of 31 s ago has not").isEqualTo(3);
        assertThat(r.stabilised(3, 2, t.plusSeconds(95), up, down)).isEqualTo(2);
    }

    @Test
    void anUpWindowTakesTheLowestRecentProposal() {
        HorizontalScaling.Recommendations r = new HorizontalScaling.Recommendations();
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        Duration up = Duration.ofSeconds(30);
        assertThat(r.stabilised(2, 2, t, up, Duration.ZERO)).isEqualTo(2);
        assertThat(r.stabilised(2, 6, t.plusSeconds(10), up, Duration.ZERO)).as("a spike of 10 s is not enough").isEqualTo(2);
        assertThat(r.stabilised(2, 6, t.plusSeconds(41), up, Duration.ZERO)).as("6 for the whole window").isEqualTo(6);
    }
}
