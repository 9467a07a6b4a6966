package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What each default virtual node declares allocatable: the real machine, minus what the core and the machine's
 * own processes need (kubelet's system-reserved and kube-reserved), times the configured overcommit, shared
 * equally by the nodes that do not configure their own cpu/memory. Pure, but for {@link Machine#current()}.
 * <p>
 * Example: 2 cores and 8 GiB, 500m and 1 GiB reserved, overcommit 1.0, three default nodes → 500m and 2389Mi each,
 * so at most 27 pods of 256 MiB are placed where the machine has room for them.
 */
public final class NodeAllocatable {

    private static final long MI = 1024L * 1024;

    private NodeAllocatable() {}

    /** The machine the local engine runs on: processors and memory as the JVM sees them (cgroup limits included). */
    public record Machine(int cores, long memoryBytes) {
        public static Machine current() {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Machine(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize());
        }
    }

    /** One default node's share, as Kubernetes quantities ({@code 500m}, {@code 2389Mi}). */
    public record Share(String cpu, String memory) {}

    /**
     * @param nodes how many nodes share the machine (those without their own value); at least 1
     * @throws IllegalArgumentException for an overcommit that is not a positive number or an invalid reservation
     */
    public static Share share(Machine machine, String reservedCpu, String reservedMemory, double overcommit, int nodes) {
        if (!(overcommit > 0) || Double.isInfinite(overcommit)) {
            throw new IllegalArgumentException("berth.node-defaults.overcommit must be a positive number, not " + overcommit);
        }
        BigDecimal factor = BigDecimal.valueOf(overcommit);
        int sharing = Math.max(nodes, 1);
        BigDecimal cpuMillis = BigDecimal.valueOf(machine.cores() * 1000L).subtract(millis(reservedCpu));
        BigDecimal memory = BigDecimal.valueOf(machine.memoryBytes()).subtract(Quantity.getAmountInBytes(new Quantity(reservedMemory)));
        long cpuEach = cpuMillis.max(BigDecimal.ZERO).multiply(factor).divide(BigDecimal.valueOf(sharing), 0, RoundingMode.FLOOR).longValueExact();
        long memoryEach = memory.max(BigDecimal.ZERO).multiply(factor).divide(BigDecimal.valueOf(sharing * MI), 0, RoundingMode.FLOOR).longValueExact();
        return new Share(cpuEach + "m", memoryEach + "Mi");
    }

    private static BigDecimal millis(String cpu) {
        return Quantity.getAmountInBytes(new Quantity(cpu)).multiply(BigDecimal.valueOf(1000));
    }
}
