package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSourceTest {

    private static int[] visits(NodeSource source, String podName, int nodes) {
        NodeOrder order = source.order(PodInfo.builder("default", podName).build(), nodes);
        return IntStream.range(0, nodes).map(order::nodeAt).toArray();
    }

    @Test
    void inOrderVisitsTheSnapshotOrder() {
        assertThat(visits(NodeSource.inOrder(), "p", 4)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void shuffledVisitsEveryNodeOnceReproducibly() {
        int[] first = visits(NodeSource.shuffled(7), "web-0", 1000);

        assertThat(IntStream.of(first).boxed().collect(Collectors.toSet())).hasSize(1000);
        assertThat(visits(NodeSource.shuffled(7), "web-0", 1000)).containsExactly(first);
        assertThat(visits(NodeSource.shuffled(8), "web-0", 1000)).isNotEqualTo(first);
    }

    @Test
    void successivePodsStartInDifferentPlaces() {
        NodeSource source = NodeSource.shuffled(7);
        Set<Integer> firstNodes = new HashSet<>();
        for (int replica = 0; replica < 50; replica++) {
            firstNodes.add(visits(source, "web-" + replica, 1000)[0]);
        }
        assertThat(firstNodes).hasSizeGreaterThan(40);
    }
}
