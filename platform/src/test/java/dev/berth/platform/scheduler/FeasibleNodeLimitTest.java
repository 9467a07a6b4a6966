package dev.berth.platform.scheduler;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FeasibleNodeLimitTest {

    @ParameterizedTest(name = "{0} nodes, percentage {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # nodes | percentageOfNodesToScore (0 = adaptive) | feasible nodes to find
            0       | 0   | 0
            3       | 0   | 3
            99      | 0   | 99
            100     | 0   | 100
            150     | 0   | 100
            1000    | 0   | 420
            5000    | 0   | 500
            10000   | 0   | 500
            20000   | 0   | 1000
            5000    | 30  | 1500
            5000    | 1   | 100
            5000    | 100 | 5000
            """)
    void matchesKubeScheduler(int nodes, int percentage, int expected) {
        assertThat(FeasibleNodeLimit.numFeasibleNodesToFind(nodes, percentage)).isEqualTo(expected);
    }
}
