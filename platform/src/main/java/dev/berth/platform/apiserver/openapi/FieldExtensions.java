package dev.berth.platform.apiserver.openapi;

import java.util.Map;

/**
 * Vendor extensions for one property of a model class, added to its schema: the strategic-merge-patch and
 * server-side-apply metadata upstream declares in Go struct tags and fabric8's classes do not carry
 * ({@code x-kubernetes-patch-merge-key}, {@code x-kubernetes-patch-strategy}, {@code x-kubernetes-list-type},
 * {@code x-kubernetes-list-map-keys}).
 *
 * <p>Keys must start with {@code x-}; values are strings or lists of strings. Implementations must be pure: the
 * generator calls them once per property while building the documents.
 */
@FunctionalInterface
public interface FieldExtensions {

    /** No extensions for any property. */
    FieldExtensions NONE = (owner, property) -> Map.of();

    /**
     * @param owner the fabric8 class declaring the property ({@code io.fabric8.kubernetes.api.model.PodSpec})
     * @param property its JSON name ({@code containers})
     * @return the extensions to add, empty for none
     */
    Map<String, Object> of(Class<?> owner, String property);
}
