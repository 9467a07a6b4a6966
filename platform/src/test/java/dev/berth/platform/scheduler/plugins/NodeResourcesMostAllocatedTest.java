package dev.berth.platform.scheduler.plugins;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NodeResourcesMostAllocatedTest {

    private static final long GI = 1024L * 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                 | cpu requested | cpu allocatable | GiB requested | GiB allocatable | score
            empty node                             | 0             | 4000            | 0             | 16              | 0
            1 of 4 cores, 8 of 16 GiB (Javadoc)    | 1000          | 4000            | 8             | 16              | 37
            full                                   | 4000          | 4000            | 16            | 16              | 100
            over allocatable is capped             | 8000          | 4000            | 32            | 16              | 100
            no memory on the node: cpu alone       | 1000          | 4000            | 1             | 0               | 25
            nothing allocatable                    | 1000          | 0               | 1             | 0               | 0
            """)
    void score(String description, long cpu, long cpuAllocatable, long gib, long gibAllocatable, long expected) {
        assertThat(NodeResourcesMostAllocated.score(cpu, cpuAllocatable, gib * GI, gibAllocatable * GI)).isEqualTo(expected);
    }
}
