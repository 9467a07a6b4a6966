/**
 * Server-side apply and field ownership, as kube-apiserver does them with kubernetes-sigs/structured-merge-diff v4
 * and {@code k8s.io/apimachinery/pkg/util/managedfields}: a {@link dev.berth.platform.apiserver.apply.FieldSet} of
 * paths in the FieldsV1 encoding, the list and map types of the served kinds
 * ({@link dev.berth.platform.apiserver.apply.ApplySchema}), and {@link dev.berth.platform.apiserver.apply.FieldManager},
 * which applies a configuration for a manager (merge, prune what the manager stopped applying, conflicts) and records
 * which manager changed which fields on every other write, in {@code metadata.managedFields}. Pure functions over
 * Jackson trees; no HTTP here: a conflict is an {@link dev.berth.platform.apiserver.apply.ApplyConflictException} the
 * REST layer answers 409.
 */
package dev.berth.platform.apiserver.apply;
