package dev.berth.platform.scheduler.snapshot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class NodeCountsTest {

    @Test
    void countsSurviveGrowthAndDropToZero() {
        NodeCounts counts = new NodeCounts();
        for (int node = 0; node < 5_000; node += 7) {
            counts.add(node, 1);
            counts.add(node, 2);
        }
        counts.add(7, -3);

        assertThat(counts.get(0)).isEqualTo(3);
        assertThat(counts.get(4998)).isEqualTo(3);
        assertThat(counts.get(7)).isZero();
        assertThat(counts.get(1)).isZero();
        int total = 0;
        for (int slot = 0; slot < counts.capacity(); slot++) {
            total += counts.nodeAt(slot) < 0 ? 0 : counts.countAt(slot);
        }
        assertThat(total).isEqualTo(3 * (5_000 / 7 + 1) - 3);
    }

    @Test
    void neverGoesNegative() {
        NodeCounts counts = new NodeCounts();
        counts.add(3, 1);
        assertThatIllegalStateException().isThrownBy(() -> counts.add(3, -2));
        assertThatIllegalStateException().isThrownBy(() -> counts.add(4, -1));
    }
}
