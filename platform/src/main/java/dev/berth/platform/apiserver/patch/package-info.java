/**
 * The three document patches of the Kubernetes API, as pure functions over Jackson trees: JSON patch
 * (RFC 6902, through fabric8's zjsonpatch), JSON merge patch (RFC 7386) and Kubernetes' strategic merge patch
 * (k8s.io/apimachinery {@code pkg/util/strategicpatch}). {@link dev.berth.platform.apiserver.patch.Patches} is
 * the entry point; {@link dev.berth.platform.apiserver.patch.PatchSchema} holds the per-field strategies the Go
 * types declare in their {@code patchStrategy}/{@code patchMergeKey} tags, for the patch and for OpenAPI's
 * {@code x-kubernetes-patch-strategy}/{@code x-kubernetes-patch-merge-key}. No HTTP here: a malformed patch is a
 * {@link dev.berth.platform.apiserver.patch.PatchException} whose reason the REST layer turns into a Status.
 */
package dev.berth.platform.apiserver.patch;
