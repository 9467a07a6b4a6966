package dev.berth.platform.apiserver.patch;

/** A value of a Go field's {@code patchStrategy} tag (OpenAPI's {@code x-kubernetes-patch-strategy}). */
public enum PatchStrategy {
    /** A list whose elements are merged: by the merge key for objects, as a set for primitives. */
    MERGE("merge"),
    /** An object the patch replaces whole rather than merges. */
    REPLACE("replace"),
    /** An object (or list elements) whose fields a {@code $retainKeys} directive may clear: unions like a Deployment's strategy. */
    RETAIN_KEYS("retainKeys");

    private final String tag;

    PatchStrategy(String tag) {
        this.tag = tag;
    }

    /** The strategy as Kubernetes spells it in struct tags and OpenAPI. */
    public String tag() {
        return tag;
    }
}
