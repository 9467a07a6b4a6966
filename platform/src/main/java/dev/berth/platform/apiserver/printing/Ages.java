package dev.berth.platform.apiserver.printing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Ages the way kubectl shows them: {@code translateTimestampSince} over apimachinery's
 * {@code duration.HumanDuration} ("45s", "3m10s", "3h10m", "2d1h", "367d", "2y1d", "&lt;unknown&gt;" for an unset time).
 * Thread-safe when its clock is.
 */
final class Ages {

    static final String UNKNOWN = "<unknown>";
    /** Go's zero {@code time.Time}: metav1.Time treats it as unset. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final Clock clock;

    Ages(Clock clock) {
        this.clock = clock;
    }

    /**
     * The age of an RFC 3339 timestamp, or {@code <unknown>} when it is unset.
     *
     * @throws IllegalArgumentException when it is set but not RFC 3339 (the API never stores such a time)
     */
    String since(String timestamp) {
        return since(instant(timestamp));
    }

    /** The age of an instant, or {@code <unknown>} when it is null (unset). */
    String since(Instant t) {
        return t == null ? UNKNOWN : humanDuration(Duration.between(t, clock.instant()));
    }

    /** The AGE cell: how long ago the object was created. */
    String created(HasMetadata object) {
        return since(object.getMetadata() == null ? null : object.getMetadata().getCreationTimestamp());
    }

    /** The timestamp as an instant, or null when unset (absent, empty or Go's zero time). */
    static Instant instant(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(timestamp).toInstant();
            return t.equals(GO_ZERO_TIME) ? null : t;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + timestamp + "' is not an RFC 3339 time", e);
        }
    }

    /**
     * apimachinery's {@code HumanDuration}: about two to three significant figures. Go truncates toward zero, so up
     * to two seconds in the future still reads "0s" (clock skew) and anything further "&lt;invalid&gt;".
     */
    static String humanDuration(Duration d) {
        long nanos = saturatedNanos(d);
        long seconds = nanos / 1_000_000_000L;
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = nanos / 60_000_000_000L;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = nanos / 3_600_000_000_000L;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }

    /** Go's {@code time.Since} saturates at the int64 nanosecond range (about 292 years). */
    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
