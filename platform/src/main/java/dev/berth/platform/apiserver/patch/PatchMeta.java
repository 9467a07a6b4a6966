package dev.berth.platform.apiserver.patch;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How a strategic merge patch treats one field of one model type: the Go field's {@code patchStrategy} and
 * {@code patchMergeKey} tags, on the fabric8 class that models that Go struct.
 *
 * @param type the fabric8 model class holding the field, e.g. {@code PodSpec.class}
 * @param property the field's JSON name, e.g. {@code containers}
 * @param mergeKey the property identifying elements of a merged list of objects, {@code ""} for none
 *        (primitive lists such as {@code finalizers}, and fields that are no lists)
 * @param strategies the strategies in the tag's order, e.g. {@code [MERGE, RETAIN_KEYS]} for {@code volumes}
 */
public record PatchMeta(Class<?> type, String property, String mergeKey, List<PatchStrategy> strategies) {

    public PatchMeta {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(mergeKey, "mergeKey");
        strategies = List.copyOf(strategies);
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException(type.getSimpleName() + "." + property + " declares no patch strategy");
        }
        if (!mergeKey.isEmpty() && !strategies.contains(PatchStrategy.MERGE)) {
            throw new IllegalArgumentException(type.getSimpleName() + "." + property + " has a merge key but is not merged");
        }
    }

    public static PatchMeta of(Class<?> type, String property, String mergeKey, PatchStrategy... strategies) {
        return new PatchMeta(type, property, mergeKey, List.of(strategies));
    }

    /** Whether the list's elements are merged rather than the list replaced. */
    public boolean merges() {
        return strategies.contains(PatchStrategy.MERGE);
    }

    /** Whether the object is replaced whole rather than merged. */
    public boolean replaces() {
        return strategies.contains(PatchStrategy.REPLACE);
    }

    /** The value of OpenAPI's {@code x-kubernetes-patch-strategy}, e.g. {@code merge,retainKeys}. */
    public String patchStrategy() {
        return strategies.stream().map(PatchStrategy::tag).collect(Collectors.joining(","));
    }
}
