package dev.berth.platform.scheduler;

import dev.berth.platform.scheduler.model.PodInfo;

import java.util.SplittableRandom;

/**
 * Where a cycle starts looking: the only randomness in scheduling. Because a cycle stops after enough
 * feasible nodes, the order decides which nodes are even considered in large clusters, so successive
 * pods must start in different places. Implementations are thread-safe.
 */
@FunctionalInterface
public interface NodeSource {

    NodeOrder order(PodInfo pod, int nodeCount);

    /** Snapshot order (node names ascending), always from the first node: for tests and small, reproducible setups. */
    static NodeSource inOrder() {
        return (pod, nodeCount) -> new NodeOrder(null, 0, nodeCount);
    }

    /**
     * A seeded shuffle of the nodes, entered at an offset derived from the seed and the pod's key: the same
     * seed, snapshot and pod always give the same order, different pods start in different places.
     */
    static NodeSource shuffled(long seed) {
        return new Shuffled(seed);
    }

    /** {@link #shuffled(long)}; keeps the last permutation, rebuilt only when the node count changes. */
    final class Shuffled implements NodeSource {
        private final long seed;
        private volatile int[] permutation = new int[0];

        private Shuffled(long seed) {
            this.seed = seed;
        }

        @Override
        public NodeOrder order(PodInfo pod, int nodeCount) {
            if (nodeCount == 0) {
                return new NodeOrder(null, 0, 0);
            }
            int[] shuffled = permutation;
            if (shuffled.length != nodeCount) {
                shuffled = shuffle(nodeCount);
                permutation = shuffled;
            }
            long podHash = pod.namespace().hashCode() * 31L + pod.name().hashCode();
            return new NodeOrder(shuffled, (int) Math.floorMod(mix(seed ^ podHash), (long) nodeCount), nodeCount);
        }

        private int[] shuffle(int nodeCount) {
            int[] order = new int[nodeCount];
            for (int i = 0; i < nodeCount; i++) {
                order[i] = i;
            }
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = nodeCount - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            return order;
        }

        /** SplitMix64's finalizer: neighbouring pod names land far apart. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
