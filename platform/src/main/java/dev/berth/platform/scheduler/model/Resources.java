package dev.berth.platform.scheduler.model;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.RoundingMode;

/**
 * An amount of the two resources the scheduler accounts for: CPU in milli-cores and memory in bytes.
 * Never negative.
 */
public record Resources(long milliCpu, long memoryBytes) {

    public static final Resources ZERO = new Resources(0, 0);

    /**
     * kube-scheduler's stand-in, when scoring, for a container's CPU or memory request that is not given
     * (100m CPU, 200 MiB; {@code schedutil.DefaultMilliCPURequest}, {@code DefaultMemoryRequest}): pods
     * without requests still weigh something. An explicit {@code 0} is not replaced.
     */
    public static final Resources DEFAULT_REQUEST = new Resources(100, 200L * 1024 * 1024);

    public Resources {
        if (milliCpu < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("resources must not be negative: " + milliCpu + "m cpu, " + memoryBytes + " bytes");
        }
    }

    public static Resources of(long milliCpu, long memoryBytes) {
        return milliCpu == 0 && memoryBytes == 0 ? ZERO : new Resources(milliCpu, memoryBytes);
    }

    /** Parses Kubernetes quantities, e.g. {@code parse("500m", "1Gi")}; {@code null} means zero. */
    public static Resources parse(String cpu, String memory) {
        return of(cpu == null ? 0 : milliCpu(new Quantity(cpu)), memory == null ? 0 : bytes(new Quantity(memory)));
    }

    /** CPU quantity in milli-cores, rounded up as Kubernetes' {@code MilliValue()} does. */
    public static long milliCpu(Quantity quantity) {
        return quantity.getNumericalAmount().movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Memory quantity in bytes, rounded up. */
    public static long bytes(Quantity quantity) {
        return quantity.getNumericalAmount().setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public Resources plus(Resources other) {
        return of(milliCpu + other.milliCpu, memoryBytes + other.memoryBytes);
    }

    /** Subtraction for accounting; throws if the result would be negative (a forget without its assume). */
    public Resources minus(Resources other) {
        return of(milliCpu - other.milliCpu, memoryBytes - other.memoryBytes);
    }

    public Resources max(Resources other) {
        return of(Math.max(milliCpu, other.milliCpu), Math.max(memoryBytes, other.memoryBytes));
    }

    public boolean isZero() {
        return milliCpu == 0 && memoryBytes == 0;
    }

    @Override
    public String toString() {
        return milliCpu + "m cpu, " + memoryBytes + " bytes";
    }
}
