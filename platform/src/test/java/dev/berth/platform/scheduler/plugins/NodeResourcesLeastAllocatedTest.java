package dev.berth.platform.scheduler.plugins;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NodeResourcesLeastAllocatedTest {

    private static final long GI = 1024L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                 | cpu requested | cpu allocatable | GiB requested | GiB allocatable | score
            empty node                             | 0             | 4000            | 0             | 16              | 100
            1 of 4 cores, 8 of 16 GiB (Javadoc)    | 1000          | 4000            | 8             | 16              | 62
            full                                   | 4000          | 4000            | 16            | 16              | 0
            cpu over allocatable scores 0 for cpu  | 5000          | 4000            | 0             | 16              | 50
            no memory on the node: cpu alone       | 1000          | 4000            | 1             | 0               | 75
            nothing allocatable                    | 1000          | 0               | 1             | 0               | 0
            """)
    void score(String description, long cpu, long cpuAllocatable, long gib, long gibAllocatable, long expected) {
        assertThat(NodeResourcesLeastAllocated.score(cpu, cpuAllocatable, gib * GI, gibAllocatable * GI)).isEqualTo(expected);
    }
}
