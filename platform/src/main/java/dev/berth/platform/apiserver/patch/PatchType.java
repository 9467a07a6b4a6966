package dev.berth.platform.apiserver.patch;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The document patches a PATCH request may carry, by the media type of its body. */
public enum PatchType {
    /** RFC 6902: a list of operations. */
    JSON("application/json-patch+json"),
    /** RFC 7386: a partial document; {@code null} deletes, lists are replaced. */
    MERGE("application/merge-patch+json"),
    /** Kubernetes' merge patch: lists merged by key where the type says so, plus {@code $} directives. */
    STRATEGIC_MERGE("application/strategic-merge-patch+json");

    private final String mediaType;

    PatchType(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * The patch type a request's {@code Content-Type} names, its parameters ({@code charset}) ignored as
     * kube-apiserver ignores them. Empty for any other type, server-side apply's {@code application/apply-patch+yaml}
     * included: that is not a merge of documents and is served elsewhere.
     */
    public static Optional<PatchType> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.mediaType.equals(type)).findFirst();
    }
}
