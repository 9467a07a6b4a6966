package dev.berth.platform.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    // kubernetes pkg/controller/podautoscaler/horizontal_test.go, TestConvertDesiredReplicasWithRules (an HPA without behavior)
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            prenormalized desired replicas within range                  | 5  | 7    | 3 | 8    | 7
            prenormalized desired replicas < minReplicas                 | 3  | 1    | 2 | 8    | 2
            1 is minLimit because hpaMinReplicas < 1                     | 1  | 0    | 0 | 10   | 1
            maxReplicas is the limit because maxReplicas < scaleUpLimit  | 20 | 1000 | 1 | 10   | 10
            scaleUpLimit is the limit because scaleUpLimit < maxReplicas | 3  | 1000 | 1 | 2000 | 6
            """)
    void testConvertDesiredReplicasWithRules(String upstreamCase, int current, int desired, int min, int max, int expected) {
        assertThat(HorizontalScaling.withinRules(current, desired, min, max)).isEqualTo(expected);
    }

    // TestNormalizeDesiredReplicas: without behavior, the highest proposal of the 5-minute down window, this one included
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            empty log                          | -                  | 5 | 5
            stabilize                          | 4@-120 5@-60       | 3 | 5
            no stabilize                       | 1@-120 2@-60       | 3 | 3
            no stabilize - old recommendations | 10@-600 9@-540     | 3 | 3
            stabilize - old recommendations    | 10@-600 4@-60 5@-120 9@-540 | 3 | 5
            """)
    void testNormalizeDesiredReplicas(String upstreamCase, String recommendations, int prenormalized, int expected) {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        HorizontalScaling.Recommendations r = new HorizontalScaling.Recommendations();
        if (recommendations != null) { // recorded oldest first, as the controller records them
            java.util.Arrays.stream(recommendations.split(" ")).map(e -> e.split("@"))
                    .sorted(java.util.Comparator.comparingInt(e -> Integer.parseInt(e[1])))
                    .forEach(e -> r.highestOfWindow(Integer.parseInt(e[0]), now.plusSeconds(Integer.parseInt(e[1])), Duration.ofSeconds(300)));
        }
        assertThat(r.highestOfWindow(prenormalized, now, Duration.ofSeconds(300))).isEqualTo(expected);
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
