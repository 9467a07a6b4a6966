package dev.berth.platform.apiserver;

import dev.berth.platform.runtime.LogOptions;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of {@code GET pods/{name}/log}, {@code core/v1 PodLogOptions}, as kube-apiserver decodes and validates it.
 * {@code stream} (alpha behind {@code PodLogsQuerySplitStreams}, off in 1.32) is dropped as kube-apiserver drops it
 * with the gate off: stdout and stderr share one file here. {@code insecureSkipTLSVerifyBackend} has no backend
 * connection to apply to. Immutable.
 *
 * @param sinceTime parsed from RFC 3339
 */
record PodLogOptions(String container, boolean follow, boolean previous, Long sinceSeconds, Instant sinceTime, boolean timestamps,
                     Long tailLines, Long limitBytes) {

    /** Upstream's {@code isNegativeErrorMsg}. */
    static final String NEGATIVE = "must be greater than or equal to 0";

    /**
     * Decodes the query as the apiserver's parameter codec does: a boolean is false only when absent, {@code false} or
     * {@code 0}; an empty value counts as absent.
     *
     * @throws ApiException 400 for a value that is not of its parameter's type
     */
    static PodLogOptions fromQuery(MultiMap q) {
        return new PodLogOptions(emptyToNull(q.get("container")), bool(q, "follow"), bool(q, "previous"), number(q, "sinceSeconds"),
                time(q, "sinceTime"), bool(q, "timestamps"), number(q, "tailLines"), number(q, "limitBytes"));
    }

    /** Upstream's {@code ValidatePodLogOptions} (pkg/apis/core/validation), with its messages and cause types. */
    List<ApiException.FieldCause> validate() {
        List<ApiException.FieldCause> causes = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            causes.add(ApiException.FieldCause.invalid("tailLines", "Invalid value: " + tailLines + ": " + NEGATIVE));
        }
        if (limitBytes != null && limitBytes < 1) {
            causes.add(ApiException.FieldCause.invalid("limitBytes", "Invalid value: " + limitBytes + ": must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            causes.add(new ApiException.FieldCause("FieldValueForbidden", "",
                    "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            causes.add(ApiException.FieldCause.invalid("sinceSeconds", "Invalid value: " + sinceSeconds + ": must be greater than 0"));
        }
        return causes;
    }

    /**
     * What the kubelet reads with ({@code NewLogOptions}), {@code sinceSeconds} counted back from {@code now};
     * {@code sinceTime} in whole seconds, as kube-apiserver passes it on ({@code LogLocation} formats it RFC 3339).
     */
    LogOptions kubelet(Instant now) {
        Instant since = sinceTime == null ? null : sinceTime.truncatedTo(ChronoUnit.SECONDS);
        return LogOptions.of(tailLines, limitBytes, sinceSeconds, since, follow, timestamps, previous, now);
    }

    private static boolean bool(MultiMap q, String name) {
        String v = q.get(name);
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    private static Long number(MultiMap q, String name) {
        String v = emptyToNull(q.get(name));
        try {
            return v == null ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": invalid value \"" + v + "\"");
        }
    }

    /** metav1.Time's query form: RFC 3339; empty and {@code null} (older clients' JSON) mean none. */
    private static Instant time(MultiMap q, String name) {
        String v = emptyToNull(q.get(name));
        if (v == null || v.equals("null")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": invalid value \"" + v + "\": not an RFC 3339 time (2006-01-02T15:04:05Z07:00)");
        }
    }

    private static String emptyToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
