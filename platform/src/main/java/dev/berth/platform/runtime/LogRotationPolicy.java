package dev.berth.platform.runtime;

import dev.berth.platform.api.manifest.QuantityFormat;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/**
 * How much of a container's log the kubelet keeps (kubelet's {@code LogRotatePolicy}): the log is cut into parts of
 * {@code maxSize} bytes and the newest {@code maxFiles} parts are kept — the current one and {@code maxFiles - 1}
 * rotated ones, as {@code removeExcessLogs} leaves them. Parts are cut at exact multiples of {@code maxSize} of the
 * file's offsets, not at the monitor's tick as upstream does, so a fast writer's parts never outgrow {@code maxSize}.
 * A negative {@code maxSize} turns rotation off. Immutable; {@link #keepFrom} is pure.
 *
 * <p>Example: 10 Mi × 5 and a file of 47 Mi (offsets): parts 0–9 Mi … 40–47 Mi, four complete ones and the current;
 * {@code keepFrom} is 0. At 50 Mi the fifth part is complete, the current one is empty, and the oldest part goes:
 * {@code keepFrom} is 10 Mi.
 */
public record LogRotationPolicy(long maxSize, int maxFiles) {

    /** What the kubelet's configuration checks refuse, with its messages ({@code NewContainerLogManager}). */
    public LogRotationPolicy {
        if (maxFiles <= 1) {
            throw new IllegalArgumentException("invalid MaxFiles " + maxFiles + ", must be > 1 (berth.runtime.log-max-files)");
        }
        if (maxSize == 0) {
            // upstream rotates a 0-byte limit on every tick; parts of 0 bytes would keep nothing at all here
            throw new IllegalArgumentException("invalid max log size 0: positive, or negative to turn rotation off (berth.runtime.log-max-size)");
        }
    }

    /** @param maxSize a Kubernetes quantity of bytes ({@code 10Mi}); negative turns rotation off */
    public static LogRotationPolicy of(String maxSize, int maxFiles) {
        Quantity q = new Quantity(maxSize);
        String problem = QuantityFormat.problem(q).orElse(null);
        if (problem != null) {
            throw new IllegalArgumentException("failed to parse container log max size \"" + maxSize + "\": " + problem + " (berth.runtime.log-max-size)");
        }
        BigDecimal bytes = Quantity.getAmountInBytes(q);
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("failed to parse container log max size \"" + maxSize + "\": invalid max log size (not a whole number of bytes)"
                    + " (berth.runtime.log-max-size)");
        }
        return new LogRotationPolicy(bytes.longValueExact(), maxFiles);
    }

    public boolean enabled() {
        return maxSize > 0;
    }

    /**
     * The offset before which a log of {@code size} bytes holds only parts beyond {@code maxFiles}: the start of the
     * oldest part kept (0 while nothing is beyond, or rotation is off).
     */
    public long keepFrom(long size) {
        if (!enabled()) {
            return 0;
        }
        long complete = size / maxSize;
        return Math.max(0, complete - (maxFiles - 1)) * maxSize;
    }
}
