package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HorizontalPodAutoscaler's arithmetic: proposals, tolerance, several metrics, bounds, stabilisation. */
class HorizontalScalingTest {

    @ParameterizedTest(name = "{0} replicas at {1} for target {2} → {3}")
    @CsvSource({
            "2, 90, 50, 4",
            "2, 52, 50, 2",    // within the 10 % tolerance
            "2, 54, 50, 2",    // 8 % off: still within
            "2, 56, 50, 3",
            "2, 20, 50, 1",
            "4, 0, 50, 0",     // idle: the bounds (min) decide
            "3, 100, 100, 3",
            "1, 250, 100, 3",
            "0, 500, 100, 0",  // scaled to zero by hand: the HPA stays out
    })
    void proposal(int current, double value, double target, int expected) {
        assertThat(HorizontalScaling.proposal(current, new HorizontalScaling.MetricValue("m", value, target))).isEqualTo(expected);
    }

    @Test
    void theMostLoadedMetricWinsWithinTheBounds() {
        var cpu = new HorizontalScaling.MetricValue("cpu", 40, 50);      // → ceil(3 × 0.8) = 3 (tolerance: 0.2 off)
        var rate = new HorizontalScaling.MetricValue("rps", 30, 10);     // → 9
        assertThat(HorizontalScaling.desired(3, List.of(cpu, rate), 1, 10)).isEqualTo(9);
        assertThat(HorizontalScaling.desired(3, List.of(cpu, rate), 1, 5)).isEqualTo(5);
        assertThat(HorizontalScaling.desired(3, List.of(new HorizontalScaling.MetricValue("cpu", 0, 50)), 2, 5)).isEqualTo(2);
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
