/**
 * The discovery documents of the Kubernetes API the core serves ({@code /version}, {@code /api}, {@code /apis}
 * and their group and group-version documents, legacy and aggregated), built once from
 * {@link dev.berth.platform.model.ResourceKind} and answered as bytes: no HTTP routing here.
 */
package dev.berth.platform.apiserver.discovery;
