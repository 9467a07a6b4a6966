package dev.berth.platform.runtime;

import java.time.Instant;

/**
 * How much of a container's log to read and how to show it — the kubelet's own {@code LogOptions}
 * ({@code pkg/kubelet/kuberuntime/logs}), made from a validated {@code PodLogOptions}. Immutable.
 *
 * @param tailLines  only the last lines (before {@code since} is applied, as the kubelet seeks before it filters); null for all
 * @param limitBytes stop after this many bytes of output, mid-line if need be; null for no limit
 * @param since      only lines written at or after it; null for all
 * @param follow     keep streaming new lines while the instance may still write
 * @param timestamps prefix each line with its time (RFC 3339, nine fractional digits, UTC) and a space
 * @param previous   the instance before the current one (the last terminated one while none runs)
 */
public record LogOptions(Long tailLines, Long limitBytes, Instant since, boolean follow, boolean timestamps, boolean previous) {

    /** The last {@code tailLines} lines (null: all) of the current instance, followed or not. */
    public static LogOptions tail(Integer tailLines, boolean follow) {
        return new LogOptions(tailLines == null ? null : tailLines.longValue(), null, null, follow, false, false);
    }

    /**
     * As the kubelet's {@code NewLogOptions}: {@code sinceSeconds} counts back from {@code now}, and of it and
     * {@code sinceTime} the later wins (validation lets only one of them through).
     */
    public static LogOptions of(Long tailLines, Long limitBytes, Long sinceSeconds, Instant sinceTime, boolean follow, boolean timestamps,
            boolean previous, Instant now) {
        Instant since = sinceSeconds == null ? null : now.minusSeconds(sinceSeconds);
        if (sinceTime != null && (since == null || sinceTime.isAfter(since))) {
            since = sinceTime;
        }
        return new LogOptions(tailLines, limitBytes, since, follow, timestamps, previous);
    }

    /** Whether each line must be looked at (its time): otherwise the bytes pass as they are. */
    boolean byLine() {
        return since != null || timestamps;
    }
}
